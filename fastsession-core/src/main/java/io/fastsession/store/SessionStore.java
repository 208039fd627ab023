package io.fastsession.store;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where sessions live: the service provider interface every provider implements.
 * <p>
 * Sessions are addressed by a <em>key</em>, the {@link SessionKeys#hash(String) hash} of
 * the session id; a store never sees a raw id, so nothing it keeps (or its backups) can
 * be replayed as a cookie. Keys are always 43 characters of the URL-safe Base64 alphabet.
 * <p>
 * Contract, verified for every store by the shared contract test suite
 * ({@code SessionStoreContractTests} in the core test jar):
 * <ul>
 * <li>Every method is non-blocking: a store that wraps a blocking client runs it on a
 * bounded scheduler of its own.</li>
 * <li>{@link #update} never creates a session: a write that races with a delete (a
 * logout, a regenerate, an expiry) is dropped, so a request still in flight cannot
 * resurrect a session.</li>
 * <li>Concurrent updates of different attributes of one session all survive.</li>
 * <li>A record that cannot be read back (corrupt bytes, a foreign format) is dropped and
 * {@link #load} completes empty; it never errors for bad data.</li>
 * <li>Backend failures error with {@link SessionStoreException}.</li>
 * <li>A store may return an expired record from {@link #load}; the {@link SessionManager}
 * checks expiry itself. Stores whose backend does not expire entries remove them in
 * {@link #removeExpired}.</li>
 * </ul>
 *
 * @author fastsession authors
 */
public interface SessionStore {

	/**
	 * Load a session.
	 * @param key the session key
	 * @return the record, or empty if there is none (or it was unreadable)
	 */
	Mono<SessionRecord> load(String key);

	/**
	 * Store a whole session, replacing any session under the same key. Used for new
	 * sessions and for the new key of a regenerated one.
	 * @param key the session key
	 * @param record the session
	 * @return completion
	 */
	Mono<Void> create(String key, SessionRecord record);

	/**
	 * Apply a delta to an existing session, atomically with respect to other writes of
	 * the same session.
	 * @param key the session key
	 * @param delta the change
	 * @return {@code true} if applied, {@code false} if the session does not exist
	 * (nothing is written then)
	 */
	Mono<Boolean> update(String key, SessionDelta delta);

	/**
	 * Delete a session.
	 * @param key the session key
	 * @return {@code true} if a session was deleted, {@code false} if there was none
	 */
	Mono<Boolean> delete(String key);

	/**
	 * Count the stored sessions, including ones that expired but were not removed yet
	 * where the backend cannot tell them apart cheaply.
	 * @return the count, or an {@link UnsupportedOperationException} error for a backend
	 * that cannot enumerate its entries
	 */
	Mono<Long> count();

	/**
	 * Whether the store answers from this JVM's memory, without I/O. Calls to other
	 * stores are bounded by the manager's store timeout, which costs a timer per call;
	 * calls to an in-memory store complete before they return and are not timed. Where an
	 * in-memory store answers with synchronous sources ({@code Mono.fromSupplier},
	 * {@code Mono.fromCallable}, {@code Mono.just}: a
	 * {@link java.util.concurrent.Callable} {@code Mono}), the manager runs them in place
	 * instead of subscribing to them.
	 * @return {@code true} for in-memory stores
	 */
	default boolean isInMemory() {
		return false;
	}

	/**
	 * Find the sessions of a user, for "log out everywhere" and the sessions endpoint.
	 * Stores that keep an index of principals return their keys, possibly including
	 * sessions that expired or were deleted meanwhile (callers load each key); stores
	 * that cannot keep one error with {@link UnsupportedOperationException}, the default.
	 * @param principal the principal name
	 * @return the keys of that user's sessions
	 */
	default Flux<String> findByPrincipal(String principal) {
		return Flux.error(
				new UnsupportedOperationException(getClass().getSimpleName() + " cannot find sessions by principal"));
	}

	/**
	 * Remove sessions that expired at or before {@code now}, in a bounded amount of work;
	 * called every {@code cleanup-interval}. Stores whose backend expires entries itself
	 * keep the default, which does nothing.
	 * @param now the current time
	 * @return how many sessions were removed
	 */
	default Mono<Long> removeExpired(Instant now) {
		return Mono.just(0L);
	}

}
