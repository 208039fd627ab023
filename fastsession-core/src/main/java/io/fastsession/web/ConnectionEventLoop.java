package io.fastsession.web;

import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.util.context.Context;

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
	 * Deliver every signal of a publisher on the event loop.
	 */
	<T> Mono<T> publishOn(Mono<T> source) {
		return source.publishOn(scheduler());
	}

	/**
	 * Subscribe to a publisher on the event loop: at once when already there, else in a
	 * task, so that all of what subscribing does (committing and writing a response) runs
	 * there.
	 */
	<T> Mono<T> subscribeOn(Mono<T> source) {
		return Mono.defer(() -> isCurrent() ? source : source.subscribeOn(scheduler()));
	}

	/**
	 * Deliver the end of a publisher of nothing, completion or error, on the event loop:
	 * at once when it comes there, else in a task.
	 */
	Mono<Void> finish(Mono<Void> source) {
		return new Finish(source, this);
	}

	/** Kept apart so that nothing loads Reactor Netty's types when it is absent. */
	private static final class ReactorNetty extends ConnectionEventLoop {

		private final EventExecutor executor;

		private @Nullable Scheduler scheduler;

		private ReactorNetty(EventExecutor executor) {
			this.executor = executor;
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
				return new ReactorNetty(connection.channel().eventLoop());
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
			Scheduler current = this.scheduler;
			if (current == null) {
				current = Schedulers.fromExecutor(this.executor);
				this.scheduler = current;
			}
			return current;
		}

	}

	/**
	 * Passes a completion or an error on from the event loop.
	 */
	private static final class Finish extends MonoOperator<Void, Void> {

		private final ConnectionEventLoop eventLoop;

		Finish(Mono<Void> source, ConnectionEventLoop eventLoop) {
			super(source);
			this.eventLoop = eventLoop;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Void> actual) {
			this.source.subscribe(new FinishSubscriber(actual, this.eventLoop));
		}

	}

	private static final class FinishSubscriber implements CoreSubscriber<Void>, Subscription {

		private final CoreSubscriber<? super Void> actual;

		private final ConnectionEventLoop eventLoop;

		private @Nullable Subscription upstream;

		FinishSubscriber(CoreSubscriber<? super Void> actual, ConnectionEventLoop eventLoop) {
			this.actual = actual;
			this.eventLoop = eventLoop;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			if (this.eventLoop.isCurrent()) {
				this.actual.onError(error);
			}
			else {
				this.eventLoop.execute(() -> this.actual.onError(error));
			}
		}

		@Override
		public void onComplete() {
			if (this.eventLoop.isCurrent()) {
				this.actual.onComplete();
			}
			else {
				this.eventLoop.execute(this.actual::onComplete);
			}
		}

		@Override
		public void request(long n) {
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.request(n);
			}
		}

		@Override
		public void cancel() {
			Subscription subscription = this.upstream;
			if (subscription != null) {
				subscription.cancel();
			}
		}

	}

}
