package io.fastsession.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fastsession.Session;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.SessionAttribute;
import org.springframework.web.server.ServerWebExchange;

/**
 * The sample's JSON API: a counter, free-form attributes, login and logout, all kept in
 * the {@link Session}.
 *
 * @author fastsession authors
 */
@RestController
@RequestMapping("/api")
class SessionApiController {

	private static final int MAX_USER_LENGTH = 100;

	private final JsonMapper mapper;

	SessionApiController(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@GetMapping("/counter")
	Count count(Session session) {
		return new Count(session.getOrDefault("count", Integer.class, 0));
	}

	@PostMapping("/counter")
	Count increment(Session session) {
		int count = session.getOrDefault("count", Integer.class, 0) + 1;
		session.set("count", count);
		return new Count(count);
	}

	/**
	 * The same session seen through WebFlux's own API: {@code @SessionAttribute} and
	 * {@code exchange.getSession()} read what the {@code Session} parameter wrote.
	 */
	@GetMapping("/session")
	Mono<Map<String, Object>> webSession(@SessionAttribute(name = "count", required = false) Integer count,
			Session session, ServerWebExchange exchange) {
		return exchange.getSession().map((webSession) -> {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("sessionAttributeCount", (count != null) ? count : 0);
			view.put("webSessionAttributes", webSession.getAttributes().keySet());
			view.put("sameSession", webSession.getId().equals(session.getId()));
			view.put("new", session.isNew());
			return view;
		});
	}

	@GetMapping("/attributes")
	Map<String, Object> attributes(Session session) {
		return session.getAttributes();
	}

	@GetMapping("/attributes/{name}")
	ResponseEntity<JsonNode> attribute(@PathVariable String name, Session session) {
		Object value = session.get(name);
		if (value == null) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok(this.mapper.valueToTree(value));
	}

	@PutMapping("/attributes/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void setAttribute(@PathVariable String name, @RequestBody JsonNode value, Session session) {
		session.set(name, value.isNull() ? null : this.mapper.treeToValue(value, Object.class));
	}

	@DeleteMapping("/attributes/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeAttribute(@PathVariable String name, Session session) {
		session.remove(name);
	}

	@DeleteMapping("/attributes")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void clear(Session session) {
		session.clear();
	}

	@PostMapping("/login")
	Login login(@RequestBody Login login, Session session) {
		String user = (login.user() != null) ? login.user().strip() : "";
		if (user.isEmpty() || user.length() > MAX_USER_LENGTH) {
			throw new IllegalArgumentException("user must have 1 to " + MAX_USER_LENGTH + " characters");
		}
		session.set("user", user);
		// A new privilege level gets a new id: defeats session fixation.
		session.regenerateId();
		return new Login(user);
	}

	@PostMapping("/logout")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void logout(Session session) {
		session.invalidate();
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
	}

	record Count(int count) {
	}

	record Login(String user) {
	}

}
