package io.fastsession.store.memcached;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.fastsession.SessionStoreException;
import io.fastsession.SessionTooLargeException;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionRecordFormat;
import io.fastsession.store.SessionRecordFormat.CorruptRecordException;
import io.fastsession.store.SessionStore;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.ops.OperationStatus;
import net.spy.memcached.ops.StatusCode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The memcached provider: one item per session under {@code keyPrefix + key}, holding the
 * whole session in {@link SessionRecordFormat}, expiring with the session.
 * <p>
 * A save merges: it reads the item with {@code gets}, applies this request's delta to the
 * latest value and writes it back with {@code cas}; when another request wrote in
 * between, it reads again and re-applies the delta, a bounded number of times. Concurrent
 * requests thus keep each other's attributes, and a session deleted meanwhile is not
 * recreated (a {@code gets} that finds nothing ends the save). Every operation is bridged
 * to Reactor through spymemcached's completion listeners: nothing ever waits on a future.
 * <p>
 * memcached reads an expiration above 30 days as an absolute Unix time, so longer
 * lifetimes are sent as one. memcached cannot list its keys: {@link #count()} reports
 * that it is unsupported rather than a wrong number.
 * <p>
 * Sessions with a principal are listed in an index item per principal
 * ({@code keyPrefix + "principal-index:" + hash of the name}, one session key per line),
 * updated with {@code gets}/{@code cas} like the sessions when a session gets or changes
 * its principal. Keys of sessions that are gone are pruned whenever the index is written
 * or read; the item does not expire by itself (its sessions' lifetimes are unknown to
 * it), but memcached may evict it under memory pressure like any item. Index operations,
 * like deletes, always go to the item's own node: while it is unreachable, a login of
 * that user fails (503) rather than index the session where the other instances would not
 * look.
 *
 * @author fastsession authors
 */
public final class MemcachedSessionStore implements SessionStore, Closeable {

	/** Default key prefix. */
	public static final String DEFAULT_KEY_PREFIX = "fastsession:";

	/** memcached's default item size limit. */
	public static final int DEFAULT_MAX_ITEM_SIZE = 1024 * 1024;

	/** Longest expiration memcached reads as relative; anything above is a Unix time. */
	static final long THIRTY_DAYS = 60L * 60 * 24 * 30;

	static final int MAX_CAS_ATTEMPTS = 100;

	/**
	 * Marks the key of a principal's index item; operations on such keys never move to
	 * another node ({@link FallbackLocatorConnectionFactory}).
	 */
	static final String PRINCIPAL_INDEX = "principal-index:";

	private static final int MAX_KEY_LENGTH = 250;

	private static final Log logger = LogFactory.getLog(MemcachedSessionStore.class);

	private final MemcachedClient client;

	private final boolean ownsClient;

	private final String keyPrefix;

	private final Clock clock;

	private final RawTranscoder transcoder;

	private final int maxItemSize;

	/**
	 * The one thread that hands operations to spymemcached: a worker thread, not an event
	 * loop, since handing over may wait on a lock. Its queue bounds the backlog; beyond
	 * it, calls fail (503) instead of piling up.
	 */
	private final Scheduler enqueue = Schedulers.newBoundedElastic(1, 100_000, "fastsession-memcached");

	/**
	 * Create a store on a client that the caller owns (and shuts down).
	 * @param client the client
	 * @param keyPrefix prefix of every key, printable ASCII without spaces
	 * @param maxItemSize the servers' item size limit in bytes
	 * @param clock the clock expirations are computed with
	 */
	public MemcachedSessionStore(MemcachedClient client, String keyPrefix, int maxItemSize, Clock clock) {
		this(client, false, keyPrefix, maxItemSize, clock);
	}

	private MemcachedSessionStore(MemcachedClient client, boolean ownsClient, String keyPrefix, int maxItemSize,
			Clock clock) {
		checkKeyPrefix(keyPrefix);
		if (maxItemSize <= 0) {
			throw new IllegalArgumentException("maxItemSize must be positive");
		}
		this.client = client;
		this.ownsClient = ownsClient;
		this.keyPrefix = keyPrefix;
		this.maxItemSize = maxItemSize;
		this.clock = clock;
		this.transcoder = new RawTranscoder(maxItemSize);
	}

	/**
	 * Create a store that shuts its client down when closed.
	 * @param client the client, now owned by the store
	 * @param keyPrefix prefix of every key
	 * @param maxItemSize the servers' item size limit in bytes
	 * @param clock the clock expirations are computed with
	 * @return the store
	 */
	public static MemcachedSessionStore owning(MemcachedClient client, String keyPrefix, int maxItemSize, Clock clock) {
		return new MemcachedSessionStore(client, true, keyPrefix, maxItemSize, clock);
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		String item = item(key);
		return Futures.get(() -> this.client.asyncGet(item, this.transcoder), this.enqueue).flatMap((outcome) -> {
			if (isNotFound(outcome.status()) || (outcome.isSuccess() && outcome.value() == null)) {
				return Mono.empty();
			}
			if (!outcome.isSuccess()) {
				return Mono.error(failure("get", outcome.status()));
			}
			try {
				return Mono.just(SessionRecordFormat.read(outcome.value()));
			}
			catch (CorruptRecordException ex) {
				return dropCorrupt(key, ex).then(Mono.empty());
			}
		});
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		return Mono.defer(() -> {
			byte[] bytes = encode(record);
			int expiration = expiration(record.getExpiresAt(), this.clock.instant());
			return Futures.operation(() -> this.client.set(item(key), expiration, bytes, this.transcoder), this.enqueue)
				.flatMap((outcome) -> outcome.isSuccess() ? Mono.<Void>empty()
						: Mono.error(failure("set", outcome.status())))
				.then((record.getPrincipal() != null) ? index(record.getPrincipal(), key, true) : Mono.empty());
		});
	}

	@Override
	public Mono<Boolean> update(String key, SessionDelta delta) {
		return attempt(key, delta, 1);
	}

	/**
	 * One gets-apply-cas round; on a lost race, the next one, after a short random pause
	 * once the first few immediate retries failed.
	 */
	private Mono<Boolean> attempt(String key, SessionDelta delta, int attempt) {
		String item = item(key);
		return Futures.<CASValue<byte[]>>operation(() -> this.client.asyncGets(item, this.transcoder), this.enqueue)
			.flatMap((outcome) -> {
				if (isNotFound(outcome.status()) || (outcome.isSuccess() && outcome.value() == null)) {
					return Mono.just(false);
				}
				if (!outcome.isSuccess()) {
					return Mono.error(failure("gets", outcome.status()));
				}
				CASValue<byte[]> current = outcome.value();
				SessionRecord merged;
				try {
					merged = SessionRecordFormat.read(current.getValue()).apply(delta);
				}
				catch (CorruptRecordException ex) {
					return dropCorrupt(key, ex).thenReturn(false);
				}
				byte[] bytes = encode(merged);
				int expiration = expiration(merged.getExpiresAt(), this.clock.instant());
				Mono<Boolean> written = Futures
					.operation(() -> this.client.asyncCAS(item, current.getCas(), expiration, bytes, this.transcoder),
							this.enqueue)
					.flatMap((cas) -> afterCas(key, delta, attempt, cas));
				String before = previousPrincipal(current.getValue());
				if (!delta.isPrincipalChanged() || Objects.equals(before, delta.getPrincipal())) {
					return written;
				}
				return written.flatMap((done) -> done ? reindex(key, before, delta.getPrincipal()).thenReturn(true)
						: Mono.just(false));
			});
	}

	private Mono<Boolean> afterCas(String key, SessionDelta delta, int attempt, Futures.Outcome<CASResponse> cas) {
		CASResponse response = cas.value();
		if (response == CASResponse.OK) {
			return Mono.just(true);
		}
		if (response == CASResponse.NOT_FOUND || isNotFound(cas.status())) {
			return Mono.just(false);
		}
		if (response == CASResponse.EXISTS || cas.status().getStatusCode() == StatusCode.ERR_EXISTS) {
			if (attempt >= MAX_CAS_ATTEMPTS) {
				return Mono.error(new SessionStoreException(
						"memcached save gave up after " + attempt + " concurrent modifications of one session"));
			}
			Mono<Boolean> retry = Mono.defer(() -> attempt(key, delta, attempt + 1));
			if (attempt < 4) {
				return retry;
			}
			long pause = ThreadLocalRandom.current().nextLong(1, 1L << Math.min(attempt - 2, 5));
			return Mono.delay(Duration.ofMillis(pause)).then(retry);
		}
		return Mono.error(failure("cas", cas.status()));
	}

	@Override
	public Mono<Boolean> delete(String key) {
		return Futures.operation(() -> this.client.delete(item(key)), this.enqueue).flatMap((outcome) -> {
			if (outcome.isSuccess()) {
				return Mono.just(Boolean.TRUE.equals(outcome.value()));
			}
			return isNotFound(outcome.status()) ? Mono.just(false) : Mono.error(failure("delete", outcome.status()));
		});
	}

	private static @Nullable String previousPrincipal(byte[] bytes) {
		try {
			return SessionRecordFormat.read(bytes).getPrincipal();
		}
		catch (CorruptRecordException ex) {
			return null;
		}
	}

	private Mono<Void> reindex(String key, @Nullable String from, @Nullable String to) {
		Mono<Void> removed = (from != null) ? index(from, key, false) : Mono.empty();
		return removed.then((to != null) ? index(to, key, true) : Mono.empty());
	}

	/**
	 * Return the keys in a principal's index item, pruning those whose session is gone.
	 */
	@Override
	public Flux<String> findByPrincipal(String principal) {
		String item = indexItem(principal);
		return Futures.<byte[]>get(() -> this.client.asyncGet(item, this.transcoder), this.enqueue)
			.flatMap((outcome) -> {
				if (isNotFound(outcome.status()) || (outcome.isSuccess() && outcome.value() == null)) {
					return Mono.just(List.<String>of());
				}
				if (!outcome.isSuccess()) {
					return Mono.error(failure("get", outcome.status()));
				}
				List<String> keys = parseIndex(outcome.value());
				return live(keys).flatMap(
						(live) -> (live.size() == keys.size()) ? Mono.just(live) : updateIndex(principal, (current) -> {
							current.retainAll(live);
							return Mono.just(current);
						}, 1).thenReturn(live));
			})
			.flatMapMany(Flux::fromIterable);
	}

	/**
	 * Add a session to its principal's index, or remove it; either way keys of sessions
	 * that are gone are pruned.
	 */
	private Mono<Void> index(String principal, String key, boolean add) {
		return updateIndex(principal, (current) -> live(current).map((live) -> {
			live.remove(key);
			if (add) {
				live.add(key);
			}
			return live;
		}), 1);
	}

	/** The keys of a list whose sessions still exist, in order. */
	private Mono<List<String>> live(List<String> keys) {
		return Flux.fromIterable(keys)
			.filter(SessionKeys::isValidKey)
			.flatMapSequential((key) -> load(key).map((record) -> key), 8)
			.collectList();
	}

	/**
	 * One gets-change-cas round on a principal's index item, again when another write
	 * came in between; the change gets the current keys and gives the new ones.
	 */
	private Mono<Void> updateIndex(String principal, Function<List<String>, Mono<List<String>>> change, int attempt) {
		String item = indexItem(principal);
		return Futures.<CASValue<byte[]>>operation(() -> this.client.asyncGets(item, this.transcoder), this.enqueue)
			.flatMap((outcome) -> {
				boolean missing = isNotFound(outcome.status()) || (outcome.isSuccess() && outcome.value() == null);
				if (!missing && !outcome.isSuccess()) {
					return Mono.error(failure("gets", outcome.status()));
				}
				List<String> current = missing ? new ArrayList<>() : parseIndex(outcome.value().getValue());
				return change.apply(current)
					.flatMap((keys) -> writeIndex(principal, item, missing ? null : outcome.value(), keys))
					.flatMap((written) -> {
						if (written) {
							return Mono.<Void>empty();
						}
						if (attempt >= MAX_CAS_ATTEMPTS) {
							return Mono
								.error(new SessionStoreException("memcached principal index update gave up after "
										+ attempt + " concurrent modifications"));
						}
						return Mono.defer(() -> updateIndex(principal, change, attempt + 1));
					});
			});
	}

	/**
	 * Write an index item: {@code add} when there was none, {@code cas} over the one
	 * read, a delete when no key is left.
	 * @return whether it was written, {@code false} when another write came first
	 */
	private Mono<Boolean> writeIndex(String principal, String item, @Nullable CASValue<byte[]> read,
			List<String> keys) {
		if (keys.isEmpty()) {
			if (read == null) {
				return Mono.just(true);
			}
			return Futures.operation(() -> this.client.delete(item, read.getCas()), this.enqueue)
				.map((outcome) -> outcome.isSuccess() || isNotFound(outcome.status()));
		}
		byte[] bytes = (String.join("\n", keys) + "\n").getBytes(StandardCharsets.US_ASCII);
		if (bytes.length > this.maxItemSize) {
			return Mono.error(new SessionTooLargeException("The principal index of one user is over memcached's item "
					+ "size limit (" + keys.size() + " sessions)"));
		}
		if (read == null) {
			return Futures.operation(() -> this.client.add(item, 0, bytes, this.transcoder), this.enqueue)
				.flatMap((outcome) -> {
					if (outcome.isSuccess()) {
						return Mono.just(Boolean.TRUE.equals(outcome.value()));
					}
					StatusCode code = outcome.status().getStatusCode();
					return (code == StatusCode.ERR_EXISTS || code == StatusCode.ERR_NOT_STORED) ? Mono.just(false)
							: Mono.error(failure("add", outcome.status()));
				});
		}
		return Futures
			.operation(() -> this.client.asyncCAS(item, read.getCas(), 0, bytes, this.transcoder), this.enqueue)
			.flatMap((cas) -> {
				if (cas.value() == CASResponse.OK) {
					return Mono.just(true);
				}
				if (cas.value() == CASResponse.EXISTS || cas.value() == CASResponse.NOT_FOUND
						|| cas.status().getStatusCode() == StatusCode.ERR_EXISTS || isNotFound(cas.status())) {
					return Mono.just(false);
				}
				return Mono.error(failure("cas", cas.status()));
			});
	}

	private static List<String> parseIndex(byte[] bytes) {
		List<String> keys = new ArrayList<>();
		for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\n")) {
			if (!line.isEmpty() && !keys.contains(line)) {
				keys.add(line);
			}
		}
		return keys;
	}

	private String indexItem(String principal) {
		return this.keyPrefix + PRINCIPAL_INDEX + SessionKeys.hash(principal);
	}

	/**
	 * memcached cannot enumerate its keys, so this always errors with
	 * {@link UnsupportedOperationException}.
	 */
	@Override
	public Mono<Long> count() {
		return Mono.error(new UnsupportedOperationException(
				"memcached cannot enumerate its keys, so the memcached provider cannot count sessions"));
	}

	private byte[] encode(SessionRecord record) {
		byte[] bytes = SessionRecordFormat.write(record);
		if (bytes.length > this.maxItemSize) {
			throw new SessionTooLargeException(
					"A session of " + bytes.length + " bytes exceeds memcached's item size limit of " + this.maxItemSize
							+ " bytes; nothing was written");
		}
		return bytes;
	}

	private Mono<Void> dropCorrupt(String key, CorruptRecordException ex) {
		logger.warn("Dropped unreadable memcached session " + SessionKeys.describe(key) + ": " + ex.getMessage());
		return delete(key).then();
	}

	/**
	 * Return memcached's expiration for a session: seconds from now when at most 30 days,
	 * otherwise the absolute Unix time, which is how memcached reads larger values.
	 */
	static int expiration(Instant expiresAt, Instant now) {
		long seconds = Math.max(1, (Duration.between(now, expiresAt).toMillis() + 999) / 1000);
		if (seconds <= THIRTY_DAYS) {
			return (int) seconds;
		}
		return (int) Math.min(Integer.MAX_VALUE, expiresAt.getEpochSecond() + 1);
	}

	private String item(String key) {
		return this.keyPrefix + key;
	}

	private static boolean isNotFound(OperationStatus status) {
		return status.getStatusCode() == StatusCode.ERR_NOT_FOUND;
	}

	private static SessionStoreException failure(String operation, OperationStatus status) {
		return new SessionStoreException(
				"memcached " + operation + " failed: " + status.getStatusCode() + " " + status.getMessage());
	}

	/**
	 * Check that a key prefix gives valid memcached keys.
	 * @param keyPrefix the prefix
	 * @throws IllegalArgumentException if it does not
	 */
	public static void checkKeyPrefix(String keyPrefix) {
		if (keyPrefix.length() + SessionKeys.KEY_LENGTH > MAX_KEY_LENGTH) {
			throw new IllegalArgumentException("Key prefix is too long for memcached's 250-byte keys");
		}
		for (int i = 0; i < keyPrefix.length(); i++) {
			char c = keyPrefix.charAt(i);
			if (c <= 0x20 || c >= 0x7f) {
				throw new IllegalArgumentException(
						"memcached key prefixes must be printable ASCII without spaces: '" + keyPrefix + "'");
			}
		}
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public MemcachedClient getClient() {
		return this.client;
	}

	@Override
	public void close() {
		this.enqueue.dispose();
		if (this.ownsClient) {
			this.client.shutdown(5, TimeUnit.SECONDS);
		}
	}

	@Override
	public String toString() {
		return "MemcachedSessionStore[" + this.client.getAvailableServers() + "]";
	}

}
