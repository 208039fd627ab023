package io.fastsession.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.web.server.ServerWebExchange;

/**
 * Combines transports: reads from each in order (the first valid id wins), and answers on
 * the transport the request used: the first, in that order, on which the client sent a
 * value, or the first configured one when it sent none. A browser's request with a cookie
 * gets its id back in the cookie only, never also in a header that any script of the page
 * could read (which would undo {@code HttpOnly}); an API client that sent a header gets a
 * header. The query parameter cannot carry an answer: a request that sent its id there is
 * answered on the first configured transport that can.
 *
 * @author fastsession authors
 */
public final class CompositeSessionIdResolver implements SessionIdResolver {

	private final List<SessionIdResolver> resolvers;

	public CompositeSessionIdResolver(List<SessionIdResolver> resolvers) {
		if (resolvers.isEmpty()) {
			throw new IllegalArgumentException("At least one session id resolver is required");
		}
		this.resolvers = List.copyOf(resolvers);
	}

	@Override
	public List<String> resolveSessionIds(ServerWebExchange exchange) {
		List<String> values = null;
		for (SessionIdResolver resolver : this.resolvers) {
			List<String> found = resolver.resolveSessionIds(exchange);
			if (!found.isEmpty()) {
				if (values == null) {
					values = new ArrayList<>(found);
				}
				else {
					values.addAll(found);
				}
			}
		}
		return (values != null) ? values : List.of();
	}

	@Override
	public void setSessionId(ServerWebExchange exchange, String value) {
		used(exchange).setSessionId(exchange, value);
	}

	@Override
	public boolean refreshSessionId(ServerWebExchange exchange, String value) {
		return used(exchange).refreshSessionId(exchange, value);
	}

	@Override
	public boolean refreshSessionId(ServerWebExchange exchange, Supplier<String> value) {
		return used(exchange).refreshSessionId(exchange, value);
	}

	@Override
	public void expireSession(ServerWebExchange exchange) {
		used(exchange).expireSession(exchange);
	}

	/**
	 * The transport to answer on: the first that carries a value and can answer, else the
	 * first configured that can.
	 */
	private SessionIdResolver used(ServerWebExchange exchange) {
		SessionIdResolver fallback = null;
		for (SessionIdResolver resolver : this.resolvers) {
			if (resolver instanceof QuerySessionIdResolver) {
				continue;
			}
			if (!resolver.resolveSessionIds(exchange).isEmpty()) {
				return resolver;
			}
			if (fallback == null) {
				fallback = resolver;
			}
		}
		return (fallback != null) ? fallback : this.resolvers.get(0);
	}

	public List<SessionIdResolver> getResolvers() {
		return this.resolvers;
	}

}
