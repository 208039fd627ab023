package io.fastsession.web;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionManager;

/**
 * Makes {@link ServerWebExchange#getSession()}, {@code @SessionAttribute}, Spring
 * Security's security context repository and everything else built on {@link WebSession}
 * use the same session as the {@code Session} parameter: one session per exchange, loaded
 * once by the {@link SessionWebFilter}, stored in the same store, with the same cookie
 * and lifecycle.
 * <p>
 * Register it under WebFlux's session manager bean name
 * ({@code WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME}); the auto-configuration
 * does. Values put in the {@link WebSession#getAttributes() attribute map} are stored
 * with the typed codec ({@link io.fastsession.Session#setTyped}), so they come back as
 * the same Java types.
 *
 * @author fastsession authors
 */
public final class FastSessionWebSessionManager implements WebSessionManager {

	@Override
	public Mono<WebSession> getSession(ServerWebExchange exchange) {
		return Mono.defer(() -> Sessions.get(exchange)).map(SessionWebSession::new);
	}

}
