package io.fastsession.web;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.web.server.ServerWebExchange;

/**
 * Carries the id in a request header, for API clients, and returns it in the same
 * response header whenever it is new or changes. An expired session is signalled by the
 * header with an empty value.
 *
 * @author fastsession authors
 */
public final class HeaderSessionIdResolver implements SessionIdResolver {

	/** Default header name. */
	public static final String DEFAULT_HEADER = "X-Session-Id";

	private final String headerName;

	public HeaderSessionIdResolver() {
		this(DEFAULT_HEADER);
	}

	public HeaderSessionIdResolver(String headerName) {
		this.headerName = Objects.requireNonNull(headerName, "headerName");
	}

	@Override
	public List<String> resolveSessionIds(ServerWebExchange exchange) {
		List<String> values = exchange.getRequest().getHeaders().get(this.headerName);
		return (values != null) ? values : List.of();
	}

	@Override
	public void setSessionId(ServerWebExchange exchange, String value) {
		exchange.getResponse().getHeaders().set(this.headerName, value);
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
		exchange.getResponse().getHeaders().set(this.headerName, "");
	}

	public String getHeaderName() {
		return this.headerName;
	}

}
