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
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
			ServerWebExchange exchange) {
		Mono<Session> session = Sessions.get(exchange);
		if (Mono.class.equals(parameter.getParameterType())) {
			return Mono.just(session);
		}
		return session.cast(Object.class);
	}

}
