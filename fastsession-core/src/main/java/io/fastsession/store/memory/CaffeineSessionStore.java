package io.fastsession.store.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fastsession.SessionDelta;
import io.fastsession.SessionRecord;
import io.fastsession.SessionStore;
import reactor.core.publisher.Mono;

/**
 * The memory provider: sessions in a Caffeine cache, each entry expiring when its session
 * does, bounded by a maximum number of sessions.
 * <p>
 * When the bound is reached, Caffeine evicts the sessions least likely to be used again
 * (W-TinyLFU: rarely and long-ago used ones first); the owners of evicted sessions simply
 * get a new session on their next request. Nothing fails. Deltas are merged under the
 * entry's atomic {@code compute}, so concurrent requests on one session keep each other's
 * attributes. Sessions live in this JVM only: they are lost on restart and not shared
 * between instances.
 *
 * @author fastsession authors
 */
public final class CaffeineSessionStore implements SessionStore {

	/** Default bound on the number of sessions. */
	public static final long DEFAULT_MAX_SESSIONS = 100_000;

	private final Cache<String, SessionRecord> cache;

	private final ConcurrentMap<String, SessionRecord> map;

	/**
	 * Create a store of at most {@value #DEFAULT_MAX_SESSIONS} sessions on the system
	 * clock.
	 */
	public CaffeineSessionStore() {
		this(DEFAULT_MAX_SESSIONS, Clock.systemUTC());
	}

	/**
	 * Create a store.
	 * @param maxSessions the most sessions kept
	 * @param clock the clock entries expire by
	 */
	public CaffeineSessionStore(long maxSessions, Clock clock) {
		if (maxSessions <= 0) {
			throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
		}
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.cache = Caffeine.newBuilder()
			.maximumSize(maxSessions)
			.ticker(ticker)
			.expireAfter(new RecordExpiry())
			.build();
		this.map = this.cache.asMap();
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		return Mono.fromSupplier(() -> this.cache.getIfPresent(key));
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		return Mono.fromRunnable(() -> this.cache.put(key, record));
	}

	@Override
	public Mono<Boolean> update(String key, SessionDelta delta) {
		return Mono.fromSupplier(() -> this.map.computeIfPresent(key, (k, current) -> current.apply(delta)) != null);
	}

	@Override
	public Mono<Boolean> delete(String key) {
		return Mono.fromSupplier(() -> this.map.remove(key) != null);
	}

	@Override
	public Mono<Long> count() {
		return Mono.fromSupplier(() -> {
			this.cache.cleanUp();
			return this.cache.estimatedSize();
		});
	}

	@Override
	public Mono<Long> removeExpired(Instant now) {
		// Caffeine expires entries itself; this only runs its pending maintenance.
		return Mono.fromSupplier(() -> {
			long before = this.cache.estimatedSize();
			this.cache.cleanUp();
			return Math.max(0, before - this.cache.estimatedSize());
		});
	}

	@Override
	public String toString() {
		return "CaffeineSessionStore[" + this.cache.estimatedSize() + " sessions]";
	}

	/**
	 * Each entry lives until its record's expiry; reads do not extend it (a touch is an
	 * update).
	 */
	private static final class RecordExpiry implements Expiry<String, SessionRecord> {

		@Override
		public long expireAfterCreate(String key, SessionRecord record, long currentTime) {
			return remaining(record, currentTime);
		}

		@Override
		public long expireAfterUpdate(String key, SessionRecord record, long currentTime, long currentDuration) {
			return remaining(record, currentTime);
		}

		@Override
		public long expireAfterRead(String key, SessionRecord record, long currentTime, long currentDuration) {
			return currentDuration;
		}

		private static long remaining(SessionRecord record, long currentTime) {
			long expiresAt = TimeUnit.MILLISECONDS.toNanos(record.getExpiresAt().toEpochMilli());
			return Math.max(0, expiresAt - currentTime);
		}

	}

}
