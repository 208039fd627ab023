package io.fastsession.web;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fastsession.SessionListener;
import io.fastsession.SessionManager;
import io.fastsession.store.memory.CaffeineSessionStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * WebFlux's {@link WebSession} on fastsession: one session per exchange whichever way it
 * is reached, typed values that come back as the same Java types, an allow-list that
 * refuses anything else, and id changes and invalidation through the same lifecycle.
 */
class WebSessionBridgeTests {

	private final List<String> decodeFailures = new ArrayList<>();

	private WebTestClient client;

	@BeforeEach
	void setUp() {
		SessionManager manager = SessionManager.builder(new CaffeineSessionStore()).listener(new SessionListener() {

			@Override
			public void decodeFailed() {
				WebSessionBridgeTests.this.decodeFailures.add("decode");
			}

		}).build();
		RouterFunction<ServerResponse> routes = route(POST("/web/{name}"),
				(request) -> request.session().flatMap((session) -> {
					session.getAttributes().put(request.pathVariable("name"), value(request.pathVariable("name")));
					return ServerResponse.noContent().build();
				}))
			.andRoute(GET("/both/{name}"),
					(request) -> Mono.zip(request.session(), Sessions.get(request))
						.flatMap((both) -> ServerResponse.ok()
							.bodyValue(Map.of("sameId", both.getT1().getId().equals(both.getT2().getId()), "type",
									typeOf(both.getT1().getAttributes().get(request.pathVariable("name"))),
									"viaSession", typeOf(both.getT2().get(request.pathVariable("name")))))))
			.andRoute(POST("/rotate"),
					(request) -> request.session()
						.flatMap(WebSession::changeSessionId)
						.then(ServerResponse.noContent().build()))
			.andRoute(POST("/invalidate"),
					(request) -> request.session()
						.flatMap(WebSession::invalidate)
						.then(ServerResponse.noContent().build()));
		this.client = WebTestClient.bindToRouterFunction(routes)
			.webFilter(new SessionWebFilter(manager, new CookieSessionIdResolver()))
			.webSessionManager(new FastSessionWebSessionManager())
			.build();
	}

	@Test
	void webSessionAndSessionAreTheSameSessionAndKeepJavaTypes() {
		String session = cookie(this.client.post().uri("/web/date").exchange().expectStatus().isNoContent());
		this.client.get()
			.uri("/both/date")
			.cookie("SESSION", session)
			.exchange()
			.expectBody()
			.json("{\"sameId\":true,\"type\":\"LocalDate\",\"viaSession\":\"LocalDate\"}");
	}

	@Test
	void classesOutsideTheAllowListAreRefusedOnRead() {
		String session = cookie(this.client.post().uri("/web/outsider").exchange().expectStatus().isNoContent());
		this.client.get()
			.uri("/both/outsider")
			.cookie("SESSION", session)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"type\":\"none\"}");
		assertThat(this.decodeFailures).containsExactly("decode");
	}

	@Test
	void changeSessionIdAndInvalidateGoThroughTheSameLifecycle() {
		String session = cookie(this.client.post().uri("/web/date").exchange());
		String rotated = cookie(this.client.post().uri("/rotate").cookie("SESSION", session).exchange());
		assertThat(rotated).isNotEqualTo(session);
		this.client.get()
			.uri("/both/date")
			.cookie("SESSION", session)
			.exchange()
			.expectBody()
			.json("{\"type\":\"none\"}");
		this.client.get()
			.uri("/both/date")
			.cookie("SESSION", rotated)
			.exchange()
			.expectBody()
			.json("{\"type\":\"LocalDate\"}");
		ResponseCookie expired = this.client.post()
			.uri("/invalidate")
			.cookie("SESSION", rotated)
			.exchange()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(expired.getMaxAge()).isEqualTo(Duration.ZERO);
		this.client.get()
			.uri("/both/date")
			.cookie("SESSION", rotated)
			.exchange()
			.expectBody()
			.json("{\"type\":\"none\"}");
	}

	private static Object value(String name) {
		return name.equals("outsider") ? new Outsider("x") : LocalDate.of(2026, 11, 26);
	}

	private static String typeOf(Object value) {
		return (value != null) ? value.getClass().getSimpleName() : "none";
	}

	private static String cookie(WebTestClient.ResponseSpec response) {
		return response.returnResult(Void.class).getResponseCookies().getFirst("SESSION").getValue();
	}

	record Outsider(String value) implements Serializable {
	}

}
