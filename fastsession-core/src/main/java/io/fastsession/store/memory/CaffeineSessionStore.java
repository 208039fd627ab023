package io.fastsession.store.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fastsession.SessionDelta;
import io.fastsession.SessionRecord;
import io.fastsession.SessionStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
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
	 * Principal name to the keys of its sessions; maintained inside the entries' atomic
	 * updates.
	 */
	private final ConcurrentMap<String, Set<String>> principals = new ConcurrentHashMap<>();

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
			// Maintenance (expiry, eviction) runs on the calling thread, amortized over
			// operations: handing it to the common pool woke a thread every few reads,
			// which
			// cost the event loops far more than the work itself.
			.executor(Runnable::run)
			.maximumSize(maxSessions)
			.ticker(ticker)
			.expireAfter(new RecordExpiry())
			.evictionListener((String key, SessionRecord record, RemovalCause cause) -> {
				if (key != null && record != null) {
					unindex(record.getPrincipal(), key);
				}
			})
			.build();
		this.map = this.cache.asMap();
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		return Mono.fromSupplier(() -> this.cache.getIfPresent(key));
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		return Mono.fromRunnable(() -> this.map.compute(key, (k, previous) -> {
			if (previous != null) {
				unindex(previous.getPrincipal(), k);
			}
			index(record.getPrincipal(), k);
			return record;
		}));
	}

	@Override
	public Mono<Boolean> update(String key, SessionDelta delta) {
		return Mono.fromSupplier(() -> this.map.computeIfPresent(key, (k, current) -> {
			if (delta.isPrincipalChanged()) {
				unindex(current.getPrincipal(), k);
				index(delta.getPrincipal(), k);
			}
			return current.apply(delta);
		}) != null);
	}

	@Override
	public Mono<Boolean> delete(String key) {
		return Mono.fromSupplier(() -> {
			SessionRecord removed = this.map.remove(key);
			if (removed != null) {
				unindex(removed.getPrincipal(), key);
			}
			return removed != null;
		});
	}

	@Override
	public Flux<String> findByPrincipal(String principal) {
		return Flux.defer(() -> {
			Set<String> keys = this.principals.get(principal);
			return (keys != null) ? Flux.fromIterable(List.copyOf(keys)) : Flux.empty();
		});
	}

	private void index(@Nullable String principal, String key) {
		if (principal != null) {
			this.principals.computeIfAbsent(principal, (name) -> ConcurrentHashMap.newKeySet()).add(key);
		}
	}

	private void unindex(@Nullable String principal, String key) {
		if (principal != null) {
			this.principals.computeIfPresent(principal, (name, keys) -> {
				keys.remove(key);
				return keys.isEmpty() ? null : keys;
			});
		}
	}

	@Override
	public boolean isInMemory() {
		return true;
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
