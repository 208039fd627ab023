package io.fastsession.web;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Function;

import io.fastsession.SessionManager;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * The end of an exchange that the {@link SessionWebFilter} handles, in one operator: the
 * session is in the Reactor context of the filter chain (with the connection's event loop
 * as the store calls' timer, see {@link SessionManager#TIMER_CONTEXT_KEY}); when the
 * chain completes, the session commits if the response did not already commit it; a
 * failure is mapped (store failures become response statuses); and the completion or the
 * error is delivered on the connection's event loop when there is one (see
 * {@link ConnectionEventLoop}).
 * <p>
 * It does what {@code then(defer(commit)).onErrorMap(..)}, a hand-off to the event loop
 * and {@code contextWrite(..)} do, without their four subscribers per request: most
 * requests commit with the response, so the commit at the end is usually an empty
 * {@code Mono} and the chain's completion passes straight on.
 *
 * @author fastsession authors
 */
final class ExchangeCompletion extends MonoOperator<Void, Void> {

	private final RequestSession session;

	private final @Nullable ConnectionEventLoop eventLoop;

	private final Function<Throwable, Throwable> errorMapper;

	ExchangeCompletion(Mono<Void> chain, RequestSession session, @Nullable ConnectionEventLoop eventLoop,
			Function<Throwable, Throwable> errorMapper) {
		super(chain);
		this.session = session;
		this.eventLoop = eventLoop;
		this.errorMapper = errorMapper;
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		this.source.subscribe(new CompletionSubscriber(actual, this));
	}

	private static final class CompletionSubscriber implements CoreSubscriber<Void>, Subscription {

		@SuppressWarnings("rawtypes")
		private static final AtomicReferenceFieldUpdater<CompletionSubscriber, Subscription> UPSTREAM = AtomicReferenceFieldUpdater
			.newUpdater(CompletionSubscriber.class, Subscription.class, "upstream");

		private final CoreSubscriber<? super Void> actual;

		private final ExchangeCompletion parent;

		private final Context context;

		/**
		 * The chain's subscription, then the commit's;
		 * {@link Operators#cancelledSubscription()} once cancelled.
		 */
		private volatile @Nullable Subscription upstream;

		/** Set once the chain completed; signals are serial, so it needs no fence. */
		private boolean committing;

		CompletionSubscriber(CoreSubscriber<? super Void> actual, ExchangeCompletion parent) {
			this.actual = actual;
			this.parent = parent;
			Context context = actual.currentContext().put(RequestSession.ATTRIBUTE, parent.session);
			Scheduler timer = parent.session.storeTimer();
			this.context = (timer != null) ? context.put(SessionManager.TIMER_CONTEXT_KEY, timer) : context;
		}

		@Override
		public Context currentContext() {
			return this.context;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			Subscription previous = this.upstream;
			if (previous == Operators.cancelledSubscription()
					|| !UPSTREAM.compareAndSet(this, previous, subscription)) {
				subscription.cancel();
				return;
			}
			if (previous == null) {
				this.actual.onSubscribe(this);
			}
			else {
				// The commit: nothing comes of it but its end.
				subscription.request(Long.MAX_VALUE);
			}
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			Throwable mapped;
			try {
				mapped = this.parent.errorMapper.apply(error);
			}
			catch (Throwable ex) {
				mapped = Operators.onOperatorError(ex, this.context);
			}
			Throwable failure = mapped;
			deliver(() -> this.actual.onError(failure));
		}

		@Override
		public void onComplete() {
			if (!this.committing) {
				this.committing = true;
				Mono<Void> commit;
				try {
					commit = this.parent.session.commit();
				}
				catch (Throwable ex) {
					onError(Operators.onOperatorError(ex, this.context));
					return;
				}
				if (!isEmpty(commit)) {
					commit.subscribe(this);
					return;
				}
			}
			deliver(this.actual::onComplete);
		}

		private static boolean isEmpty(Mono<Void> mono) {
			if (mono instanceof Fuseable.ScalarCallable<?> scalar) {
				try {
					return scalar.call() == null;
				}
				catch (Exception ex) {
					return false;
				}
			}
			return false;
		}

		private void deliver(Runnable signal) {
			ConnectionEventLoop eventLoop = this.parent.eventLoop;
			if (eventLoop == null || eventLoop.isCurrent()) {
				signal.run();
			}
			else {
				eventLoop.execute(signal);
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
			Subscription subscription = UPSTREAM.getAndSet(this, Operators.cancelledSubscription());
			if (subscription != null && subscription != Operators.cancelledSubscription()) {
				subscription.cancel();
			}
		}

	}

}
