package io.fastsession.store.redis;

import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A connection opened on first use. Connecting blocks, so it happens once, on a worker
 * thread; concurrent first callers share the attempt, and a failed attempt is retried by
 * the next caller. The connection belongs to the factory that made it, which closes it.
 *
 * @param <C> the connection's type
 * @author fastsession authors
 */
final class LazyConnection<C> {

	private final Mono<C> opening;

	private volatile @Nullable C opened;

	LazyConnection(Callable<C> open) {
		this.opening = Mono.fromCallable(open)
			.subscribeOn(Schedulers.boundedElastic())
			.cacheInvalidateWhen((connection) -> Mono.never())
			.doOnNext((connection) -> this.opened = connection);
	}

	/**
	 * The connection if it is open already.
	 * @return the connection, or {@code null} before the first successful opening
	 */
	@Nullable C now() {
		return this.opened;
	}

	/**
	 * The connection, opened on first use. Once open, a scalar {@code Mono} of it, so
	 * that each command skips the cache operator ({@code flatMap} calls its function at
	 * once on a scalar source).
	 * @return the connection
	 */
	Mono<C> get() {
		C connection = this.opened;
		return (connection != null) ? Mono.just(connection) : this.opening;
	}

}
