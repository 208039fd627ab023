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
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The memory provider: sessions in a Caffeine cache, each entry expiring when its session
 * does, bounded by a maximum number of sessions and by the memory they take (their
 * attribute bytes plus an estimated {@value #ENTRY_OVERHEAD} bytes each).
 * <p>
 * Caffeine bounds a cache by count or by weight, not both, so each session weighs
 * {@code max(1, bytes × maxSessions / maxBytes)} against a maximum weight of
 * {@code maxSessions}: the sessions then never number more than {@code maxSessions} nor
 * take more than {@code maxBytes}. When a bound is reached, Caffeine evicts the sessions
 * least likely to be used again (W-TinyLFU: rarely and long-ago used ones first); the
 * owners of evicted sessions simply get a new session on their next request. Nothing
 * fails. Deltas are merged under the entry's atomic {@code compute}, so concurrent
 * requests on one session keep each other's attributes. Sessions live in this JVM only:
 * they are lost on restart and not shared between instances.
 *
 * @author fastsession authors
 */
public final class CaffeineSessionStore implements SessionStore {

	/** Default bound on the number of sessions. */
	public static final long DEFAULT_MAX_SESSIONS = 100_000;

	/**
	 * Memory a stored session takes besides its attribute bytes (the entry, the record,
	 * its key and map), as measured by {@code MemoryFootprint} for a small session.
	 */
	static final int ENTRY_OVERHEAD = 400;

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
		this(maxSessions, Long.MAX_VALUE, clock);
	}

	/**
	 * Create a store bounded by memory as well as by count.
	 * @param maxSessions the most sessions kept
	 * @param maxBytes the most memory the sessions may take together, estimated from
	 * their attribute bytes
	 * @param clock the clock entries expire by
	 */
	public CaffeineSessionStore(long maxSessions, long maxBytes, Clock clock) {
		if (maxSessions <= 0) {
			throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
		}
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
		}
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.cache = Caffeine.newBuilder()
			// Maintenance (expiry, eviction) runs on the calling thread, amortized over
			// operations: handing it to the common pool woke a thread every few reads,
			// which
			// cost the event loops far more than the work itself.
			.executor(Runnable::run)
			.maximumWeight(maxSessions)
			.weigher((String key, SessionRecord record) -> weight(record, maxSessions, maxBytes))
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

	/**
	 * A session's share of the bounds: one unit of the count, or its bytes' share of the
	 * memory bound in those units, whichever is larger.
	 */
	static int weight(SessionRecord record, long maxSessions, long maxBytes) {
		long bytes = ENTRY_OVERHEAD;
		for (var attribute : record.getAttributes().entrySet()) {
			bytes += attribute.getKey().length() + attribute.getValue().length;
		}
		long units = (long) Math.ceil((double) bytes * maxSessions / maxBytes);
		return (int) Math.min(Integer.MAX_VALUE, Math.max(1, units));
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
