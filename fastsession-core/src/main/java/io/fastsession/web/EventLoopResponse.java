package io.fastsession.web;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * The response of an exchange whose session is in play, committed and written on the
 * connection's event loop whichever thread asks for it, so that the response goes out and
 * the exchange ends in one go (see {@link ConnectionEventLoop}).
 */
final class EventLoopResponse extends ServerHttpResponseDecorator {

	private final ConnectionEventLoop eventLoop;

	EventLoopResponse(ServerHttpResponse delegate, ConnectionEventLoop eventLoop) {
		super(delegate);
		this.eventLoop = eventLoop;
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		return this.eventLoop.subscribeOn(() -> getDelegate().writeWith(body));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return this.eventLoop.subscribeOn(() -> getDelegate().writeAndFlushWith(body));
	}

	@Override
	public Mono<Void> setComplete() {
		return this.eventLoop.subscribeOn(getDelegate()::setComplete);
	}

}
