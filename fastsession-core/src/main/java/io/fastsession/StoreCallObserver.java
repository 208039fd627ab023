package io.fastsession;

import reactor.core.publisher.Mono;

/**
 * Observes the calls a {@link SessionManager} makes to its store, for tracing: the
 * auto-configuration's implementation reports each as a Micrometer {@code Observation}
 * inside the request's own. Calls of in-memory stores, which run in place, are not
 * observed.
 *
 * @author fastsession authors
 */
public interface StoreCallObserver {

	/** Observes nothing. */
	StoreCallObserver NONE = new StoreCallObserver() {

		@Override
		public <T> Mono<T> observe(String operation, Mono<T> call) {
			return call;
		}

	};

	/**
	 * Wrap a store call.
	 * @param <T> the call's result
	 * @param operation {@code load}, {@code create}, {@code update}, {@code delete} or
	 * {@code find}; never an id or key
	 * @param call the call, already bounded by the store timeout
	 * @return the call as observed
	 */
	<T> Mono<T> observe(String operation, Mono<T> call);

}
