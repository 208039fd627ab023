package io.fastsession.web;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.web.server.ServerWebExchange;

/**
 * Carries the session id between client and server: reads the values a client sent and
 * sends a new id or the news that it expired. The values are the encoded form produced by
 * the {@link io.fastsession.id.SessionIdCodec}; a resolver does not validate them.
 *
 * @author fastsession authors
 * @see CookieSessionIdResolver
 * @see HeaderSessionIdResolver
 * @see QuerySessionIdResolver
 * @see CompositeSessionIdResolver
 */
public interface SessionIdResolver {

	/**
	 * Return the values the client sent, most preferred first.
	 * @param exchange the exchange
	 * @return the values, possibly empty
	 */
	List<String> resolveSessionIds(ServerWebExchange exchange);

	/**
	 * Send a new or changed id to the client.
	 * @param exchange the exchange
	 * @param value the encoded id
	 */
	void setSessionId(ServerWebExchange exchange, String value);

	/**
	 * The id is unchanged and its session's expiry moved; transports whose value has a
	 * lifetime of its own (a persistent cookie) renew it. Does nothing by default.
	 * @param exchange the exchange
	 * @param value the encoded id
	 * @return whether the response now carries the id
	 */
	default boolean refreshSessionId(ServerWebExchange exchange, String value) {
		return false;
	}

	/**
	 * As {@link #refreshSessionId(ServerWebExchange, String)}, with the value encoded
	 * only if the transport sends it: what the session filter calls on every write, so
	 * that a signing id codec does not sign an id that a browser-session cookie never
	 * sends again. By default, encodes and calls the other method; the built-in
	 * transports encode only when they refresh.
	 * @param exchange the exchange
	 * @param value the encoded id, on demand
	 * @return whether the response now carries the id
	 */
	default boolean refreshSessionId(ServerWebExchange exchange, Supplier<String> value) {
		return refreshSessionId(exchange, value.get());
	}

	/**
	 * Tell the client its id is dead.
	 * @param exchange the exchange
	 */
	void expireSession(ServerWebExchange exchange);

}
