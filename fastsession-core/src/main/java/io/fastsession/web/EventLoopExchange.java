package io.fastsession.web;

import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * An exchange whose response writes on the connection's event loop
 * ({@link EventLoopResponse}). One object where {@code exchange.mutate().response(..)}
 * builds three; a later {@code mutate()} keeps the response, since it starts from this
 * exchange.
 *
 * @author fastsession authors
 */
final class EventLoopExchange extends ServerWebExchangeDecorator {

	private final ServerHttpResponse response;

	EventLoopExchange(ServerWebExchange delegate, ConnectionEventLoop eventLoop) {
		super(delegate);
		this.response = new EventLoopResponse(delegate.getResponse(), eventLoop);
	}

	@Override
	public ServerHttpResponse getResponse() {
		return this.response;
	}

}
