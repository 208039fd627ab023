package io.fastsession.store.memcached;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import net.spy.memcached.internal.GetFuture;
import net.spy.memcached.internal.OperationFuture;
import net.spy.memcached.ops.OperationStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

import io.fastsession.SessionStoreException;

/**
 * Bridges spymemcached futures to Reactor through their completion listeners: the result
 * is read only once the operation is complete, so nothing ever waits on a future.
 */
final class Futures {

	private Futures() {
	}

	/**
	 * The outcome of an operation: its status, and its value on success.
	 */
	record Outcome<T>(OperationStatus status, @Nullable T value) {

		boolean isSuccess() {
			return this.status.isSuccess();
		}

	}

	static <T> Mono<Outcome<T>> operation(Supplier<OperationFuture<T>> call, Scheduler enqueue) {
		return Mono.<Outcome<T>>create((sink) -> {
			OperationFuture<T> future = call.get();
			sink.onCancel(() -> future.cancel(false));
			future.addListener((done) -> complete(sink, future));
		}).subscribeOn(enqueue);
	}

	static <T> Mono<Outcome<T>> get(Supplier<GetFuture<T>> call, Scheduler enqueue) {
		return Mono.<Outcome<T>>create((sink) -> {
			GetFuture<T> future = call.get();
			sink.onCancel(() -> future.cancel(false));
			future.addListener((done) -> complete(sink, future));
		}).subscribeOn(enqueue);
	}

	/**
	 * Called by the listener, on spymemcached's listener threads, once the operation is
	 * over. A cancelled operation (ours, after a timeout, or spymemcached's, for a node
	 * that is down) may never get a status, and asking a future for one waits for it: so
	 * cancellation is checked first, and nothing here ever waits.
	 */
	private static <T> void complete(MonoSink<Outcome<T>> sink, Future<T> future) {
		if (future.isCancelled()) {
			sink.error(new SessionStoreException("memcached operation cancelled (node down or timed out)"));
			return;
		}
		OperationStatus status = (future instanceof OperationFuture<?> operation) ? operation.getStatus()
				: ((GetFuture<?>) future).getStatus();
		if (status == null) {
			sink.error(new SessionStoreException("memcached operation failed without a status"));
			return;
		}
		T value;
		try {
			value = future.get();
		}
		catch (ExecutionException | RuntimeException ex) {
			value = null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			value = null;
		}
		sink.success(new Outcome<>(status, value));
	}

}
