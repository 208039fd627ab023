package io.fastsession.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.web.server.ServerWebExchange;

/**
 * Combines transports: reads from each in order (the first valid id wins) and sends
 * through all of them.
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
		this.resolvers.forEach((resolver) -> resolver.setSessionId(exchange, value));
	}

	@Override
	public boolean refreshSessionId(ServerWebExchange exchange, String value) {
		boolean sent = false;
		for (SessionIdResolver resolver : this.resolvers) {
			sent |= resolver.refreshSessionId(exchange, value);
		}
		return sent;
	}

	@Override
	public void expireSession(ServerWebExchange exchange) {
		this.resolvers.forEach((resolver) -> resolver.expireSession(exchange));
	}

	public List<SessionIdResolver> getResolvers() {
		return this.resolvers;
	}

}
