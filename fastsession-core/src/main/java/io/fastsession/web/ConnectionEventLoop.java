package io.fastsession.web;

import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * The event loop of the connection an exchange arrived on, as a {@link Scheduler}, so
 * that an answer from a store's own thread (Lettuce's, a JDBC worker's, spymemcached's)
 * is handed back to it before the exchange goes on.
 * <p>
 * Why: Reactor Netty 1.3.6 and 1.3.7 register the listener that ends an exchange only
 * after handing its last write to the event loop. When that write comes from another
 * thread, it can finish first, and the listener then runs as a separate event-loop task;
 * a keep-alive request read in between is queued behind the unfinished exchange, and if
 * it is answered synchronously the connection stops reading for good (reactor-netty issue
 * 4361, fixed in 1.3.8). Finishing the exchange on its own event loop writes and ends it
 * in one call, with no read in between. It also keeps application code off the store
 * client's I/O threads.
 */
final class ConnectionEventLoop {

	private static final boolean REACTOR_NETTY_PRESENT = ClassUtils.isPresent("reactor.netty.Connection",
			ConnectionEventLoop.class.getClassLoader());

	private ConnectionEventLoop() {
	}

	/**
	 * Return the event loop of the exchange's connection.
	 * @param exchange the exchange
	 * @return a scheduler on that event loop, or {@code null} when the server is not
	 * Reactor Netty (the answer then stays on the thread it came on)
	 */
	static @Nullable Scheduler of(ServerWebExchange exchange) {
		return REACTOR_NETTY_PRESENT ? ReactorNetty.eventLoop(exchange.getRequest()) : null;
	}

	/** Kept apart so that nothing loads Reactor Netty's types when it is absent. */
	private static final class ReactorNetty {

		static @Nullable Scheduler eventLoop(ServerHttpRequest request) {
			Object nativeRequest;
			try {
				nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				// A request without a server under it: a mock, or a decorator that does
				// not expose its delegate.
				return null;
			}
			if (nativeRequest instanceof Connection connection) {
				return Schedulers.fromExecutor(connection.channel().eventLoop());
			}
			return null;
		}

	}

}
