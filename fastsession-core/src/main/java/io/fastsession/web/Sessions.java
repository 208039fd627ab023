package io.fastsession.web;

import io.fastsession.Session;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Access to the session of an exchange, for functional endpoints and filters:
 *
 * <pre class="code">
 * route(GET("/cart"), (request) -&gt; Sessions.get(request)
 *     .flatMap((session) -&gt; ok().bodyValue(session.getAttributes())));
 * </pre>
 *
 * The session is loaded on first call and shared by every later call in the same
 * exchange, including a {@code Session} controller parameter.
 *
 * @author fastsession authors
 */
public final class Sessions {

	private Sessions() {
	}

	/**
	 * Return the session of an exchange.
	 * @param exchange the exchange
	 * @return the session; an {@link IllegalStateException} error if no
	 * {@link SessionWebFilter} handled the exchange
	 */
	public static Mono<Session> get(ServerWebExchange exchange) {
		RequestSession session = exchange.getAttribute(RequestSession.ATTRIBUTE);
		if (session == null) {
			return Mono.error(new IllegalStateException(
					"No session: the fastsession SessionWebFilter did not handle this exchange"));
		}
		return session.getSession();
	}

	/**
	 * Return the session of the exchange being handled, from the Reactor context, for
	 * code that has no exchange at hand (a Spring Security success handler or session
	 * registry, for example).
	 * @return the session; empty outside an exchange that the {@link SessionWebFilter}
	 * handles
	 */
	public static Mono<Session> current() {
		return Mono.deferContextual((context) -> context.<RequestSession>getOrEmpty(RequestSession.ATTRIBUTE)
			.map(RequestSession::getSession)
			.orElseGet(Mono::empty));
	}

	/**
	 * Return the session of a functional endpoint's request.
	 * @param request the request
	 * @return the session
	 */
	public static Mono<Session> get(ServerRequest request) {
		return get(request.exchange());
	}

}
