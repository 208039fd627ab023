package io.fastsession.web;

import java.util.Objects;
import java.util.function.Supplier;

import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * The event loop of the connection an exchange arrived on, so that whatever another
 * thread does for the exchange (a store client's answer, a JDBC worker's, a password
 * check that Spring Security moves to a worker thread) ends on it: the response is
 * written, and the exchange ends, on the connection's own event loop, in one go.
 * <p>
 * Why: Reactor Netty 1.3.6 and 1.3.7 end an exchange from a listener on its last write,
 * registered only after the write was handed to the event loop. When the write or the end
 * comes from another thread, a keep-alive request can be read in between and is queued
 * behind the unfinished exchange; if it is answered synchronously, the connection stops
 * reading for good (reactor-netty issue 4361; 1.3.8 answered every request in our
 * measurements). Written and ended on its own event loop, an exchange finishes in one
 * call, with no read in between. It also keeps application code off a store client's I/O
 * threads.
 */
abstract class ConnectionEventLoop {

	private static final boolean REACTOR_NETTY_PRESENT = ClassUtils.isPresent("reactor.netty.Connection",
			ConnectionEventLoop.class.getClassLoader());

	/**
	 * Return the event loop of the exchange's connection.
	 * @param exchange the exchange
	 * @return the event loop, or {@code null} when the server is not Reactor Netty (then
	 * nothing is moved)
	 */
	static @Nullable ConnectionEventLoop of(ServerWebExchange exchange) {
		return REACTOR_NETTY_PRESENT ? ReactorNetty.eventLoop(exchange.getRequest()) : null;
	}

	abstract boolean isCurrent();

	abstract void execute(Runnable task);

	abstract Scheduler scheduler();

	/**
	 * A scheduler that runs delayed tasks on the event loop, for the store calls'
	 * timeouts: set and cancelled there without a lock or a wake-up of another thread.
	 */
	abstract Scheduler timer();

	/**
	 * Deliver every signal of a publisher on the event loop.
	 */
	<T> Mono<T> publishOn(Mono<T> source) {
		return source.publishOn(scheduler());
	}

	/**
	 * Subscribe to a publisher on the event loop: at once when already there, else in a
	 * task, so that all of what subscribing does (committing and writing a response) runs
	 * there. The publisher is created when subscribed to, on the event loop.
	 */
	Mono<Void> subscribeOn(Supplier<Mono<Void>> source) {
		return new OnEventLoop(source, this);
	}

	/** Kept apart so that nothing loads Reactor Netty's types when it is absent. */
	private static final class ReactorNetty extends ConnectionEventLoop {

		private static final AttributeKey<ReactorNetty> KEY = AttributeKey.valueOf(ConnectionEventLoop.class.getName());

		private final EventExecutor executor;

		private final Scheduler scheduler;

		private final Scheduler timer;

		/** Made once per connection, not per request: its schedulers are two objects. */
		private ReactorNetty(EventExecutor executor) {
			this.executor = executor;
			this.scheduler = Schedulers.fromExecutor(executor);
			this.timer = Schedulers.fromExecutorService(executor);
		}

		static @Nullable ConnectionEventLoop eventLoop(ServerHttpRequest request) {
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
				// One per connection, kept on its channel: a keep-alive connection's
				// requests share it and its scheduler.
				Attribute<ReactorNetty> attribute = connection.channel().attr(KEY);
				ReactorNetty eventLoop = attribute.get();
				if (eventLoop == null) {
					eventLoop = new ReactorNetty(connection.channel().eventLoop());
					ReactorNetty other = attribute.setIfAbsent(eventLoop);
					eventLoop = (other != null) ? other : eventLoop;
				}
				return eventLoop;
			}
			return null;
		}

		@Override
		boolean isCurrent() {
			return this.executor.inEventLoop();
		}

		@Override
		void execute(Runnable task) {
			this.executor.execute(task);
		}

		@Override
		Scheduler scheduler() {
			return this.scheduler;
		}

		@Override
		Scheduler timer() {
			return this.timer;
		}

	}

	/**
	 * Subscribes on the event loop; one operator instead of {@code defer} and
	 * {@code subscribeOn}, since nearly every write is subscribed to on the loop already.
	 */
	private static final class OnEventLoop extends Mono<Void> {

		private final Supplier<Mono<Void>> source;

		private final ConnectionEventLoop eventLoop;

		OnEventLoop(Supplier<Mono<Void>> source, ConnectionEventLoop eventLoop) {
			this.source = source;
			this.eventLoop = eventLoop;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			if (!this.eventLoop.isCurrent()) {
				Mono.defer(this.source).subscribeOn(this.eventLoop.scheduler()).subscribe(actual);
				return;
			}
			Mono<Void> publisher;
			try {
				publisher = Objects.requireNonNull(this.source.get(), "The source gave no publisher");
			}
			catch (Throwable ex) {
				Operators.error(actual, Operators.onOperatorError(ex, actual.currentContext()));
				return;
			}
			publisher.subscribe(actual);
		}

	}

}
