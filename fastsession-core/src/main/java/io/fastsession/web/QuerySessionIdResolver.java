package io.fastsession.web;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.web.server.ServerWebExchange;

/**
 * Reads the id from a URL query parameter. Ids in URLs leak through logs, history and
 * {@code Referer} headers, so this transport is off by default and only reads: it cannot
 * send an id, the client has to obtain it through another transport.
 *
 * @author fastsession authors
 */
public final class QuerySessionIdResolver implements SessionIdResolver {

	/** Default parameter name. */
	public static final String DEFAULT_PARAMETER = "session";

	private final String parameterName;

	public QuerySessionIdResolver() {
		this(DEFAULT_PARAMETER);
	}

	public QuerySessionIdResolver(String parameterName) {
		this.parameterName = Objects.requireNonNull(parameterName, "parameterName");
	}

	@Override
	public List<String> resolveSessionIds(ServerWebExchange exchange) {
		List<String> values = exchange.getRequest().getQueryParams().get(this.parameterName);
		return (values != null) ? values : List.of();
	}

	@Override
	public void setSessionId(ServerWebExchange exchange, String value) {
	}

	/**
	 * Nothing to renew: the value has no lifetime of its own. Not even encoded.
	 */
	@Override
	public boolean refreshSessionId(ServerWebExchange exchange, Supplier<String> value) {
		return false;
	}

	@Override
	public void expireSession(ServerWebExchange exchange) {
	}

	public String getParameterName() {
		return this.parameterName;
	}

}
