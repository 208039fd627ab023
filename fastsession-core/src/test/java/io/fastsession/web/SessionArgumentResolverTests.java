package io.fastsession.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.store.CountingSessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Controller parameters of type {@code Session} and {@code Mono<Session>}, on a store
 * that answers synchronously (in memory: the argument is a ready value) and on one that
 * does not.
 */
class SessionArgumentResolverTests {

	private final AtomicBoolean loadsDown = new AtomicBoolean();

	private CountingSessionStore store;

	private WebTestClient client;

	private void useStore(boolean synchronous) {
		this.store = new CountingSessionStore(new SessionWebFilterTests.SwitchableStore(new CaffeineSessionStore(),
				this.loadsDown, new AtomicBoolean(), new AtomicBoolean(), synchronous));
		SessionManager manager = SessionManager.builder(this.store).storeTimeout(Duration.ofSeconds(1)).build();
		this.client = WebTestClient.bindToController(new CounterController())
			.argumentResolvers((resolvers) -> resolvers.addCustomResolver(new SessionArgumentResolver()))
			.webFilter(new SessionWebFilter(manager, new CookieSessionIdResolver()))
			.build();
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void sessionParameterKeepsItsStateAcrossRequests(boolean synchronous) {
		useStore(synchronous);
		String id = firstWrite();
		post(id).expectBody(String.class).isEqualTo("2");
		this.client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("2");
		this.client.get().uri("/mono").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("2");
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void argumentAndSessionsGetShareOneSessionLoadedOnce(boolean synchronous) {
		useStore(synchronous);
		String id = firstWrite();
		this.store.reset();
		this.client.get().uri("/same").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("true");
		assertThat(this.store.loads).hasValue(1);
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void loadFailureOfAnArgumentIsA503AndTheNextRequestRecovers(boolean synchronous) {
		useStore(synchronous);
		String id = firstWrite();
		this.loadsDown.set(true);
		this.client.get()
			.uri("/counter")
			.cookie("SESSION", id)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		this.loadsDown.set(false);
		this.client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("1");
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void anonymousReadThroughAnArgumentStoresNothing(boolean synchronous) {
		useStore(synchronous);
		this.client.get()
			.uri("/counter")
			.exchange()
			.expectHeader()
			.doesNotExist("Set-Cookie")
			.expectBody(String.class)
			.isEqualTo("0");
		assertThat(this.store.creates).hasValue(0);
		assertThat(this.store.updates).hasValue(0);
	}

	private String firstWrite() {
		ResponseCookie cookie = this.client.post()
			.uri("/counter")
			.exchange()
			.expectBody(String.class)
			.isEqualTo("1")
			.returnResult()
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(cookie).isNotNull();
		return cookie.getValue();
	}

	private WebTestClient.ResponseSpec post(String id) {
		return this.client.post().uri("/counter").cookie("SESSION", id).exchange();
	}

	@RestController
	static class CounterController {

		@GetMapping("/counter")
		String read(Session session) {
			return count(session).toString();
		}

		@PostMapping("/counter")
		String increment(Session session) {
			session.set("count", count(session) + 1);
			return count(session).toString();
		}

		@GetMapping("/mono")
		Mono<String> readLater(Mono<Session> session) {
			return session.map((value) -> count(value).toString());
		}

		@GetMapping("/same")
		Mono<String> same(Session session, ServerWebExchange exchange) {
			return Sessions.get(exchange).map((other) -> String.valueOf(other == session));
		}

		private static Integer count(Session session) {
			return session.getOrDefault("count", Integer.class, 0);
		}

	}

}
