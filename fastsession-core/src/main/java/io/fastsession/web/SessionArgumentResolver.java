package io.fastsession.web;

import io.fastsession.Session;
import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves controller method parameters of type {@link Session} or {@code Mono<Session>}.
 *
 * @author fastsession authors
 */
public final class SessionArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		if (Session.class.equals(type)) {
			return true;
		}
		return Mono.class.equals(type)
				&& Session.class.equals(ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve());
	}

	@Override
	@SuppressWarnings("unchecked")
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		if (Mono.class.equals(parameter.getParameterType())) {
			// The handler decides when, and whether, the session is loaded.
			return Mono.just(Sessions.get(exchange));
		}
		// Spring subscribes to an argument as soon as it has it, so the session can be
		// loaded now; a Mono is read-only, so it is safe to see it as one of Object.
		RequestSession session = exchange.getAttribute(RequestSession.ATTRIBUTE);
		return (Mono<Object>) (Mono<?>) ((session != null) ? session.getSessionNow() : Sessions.get(exchange));
	}

}
