package io.fastsession.store.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fastsession.id.SessionKeys;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The redis provider: one hash per session under {@code keyPrefix + key}, holding its
 * metadata fields ({@code m:c} creation, {@code m:a} last access, {@code m:i} idle
 * timeout, {@code m:x} absolute expiry, all in milliseconds; {@code m:o} when the idle
 * timeout is the session's own; {@code m:p} the principal) and one {@code a:<name>} field
 * per attribute. The key's TTL is the session's remaining lifetime.
 * <p>
 * Every operation is one round trip: a load is {@code HGETALL}; a create and an update
 * are one {@code EVALSHA} of a small script that writes only the changed fields and
 * refreshes the TTL atomically, and an update refuses to touch a key that no longer
 * exists, so a logout cannot be undone by a request still in flight. A script touches
 * only its own key, so everything works on Redis Cluster; regeneration writes the new key
 * and deletes the old one, never {@code RENAME}.
 * <p>
 * Works with any {@link ReactiveRedisConnectionFactory}: standalone, Sentinel or Cluster,
 * as configured by {@code spring.data.redis.*}.
 *
 * @author fastsession authors
 */
public final class RedisSessionStore implements SessionStore {

	/** Default key prefix. */
	public static final String DEFAULT_KEY_PREFIX = "fastsession:";

	static final String CREATED = "m:c";

	static final String LAST_ACCESS = "m:a";

	static final String MAX_IDLE = "m:i";

	static final String ABSOLUTE_EXPIRY = "m:x";

	static final String OWN_MAX_IDLE = "m:o";

	static final String PRINCIPAL = "m:p";

	/**
	 * Infix of the principal index keys: {@code <prefix>principal:<hash of the name>}.
	 */
	static final String PRINCIPAL_INDEX = "principal:";

	/**
	 * KEYS[1] a principal's index set; ARGV[1] a session key; ARGV[2] the session's TTL
	 * in ms. The set lives at least as long as its longest session.
	 */
	private static final Script INDEX = new Script("""
			redis.call('SADD', KEYS[1], ARGV[1])
			if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			end
			return 1
			""");

	static final String ATTRIBUTE_PREFIX = "a:";

	private static final Log logger = LogFactory.getLog(RedisSessionStore.class);

	/**
	 * KEYS[1] the session; ARGV[1] TTL in ms; ARGV[2..] field/value pairs. Replaces the
	 * key.
	 */
	private static final Script CREATE = new Script("""
			redis.call('UNLINK', KEYS[1])
			for i = 2, #ARGV, 500 do
			  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 499, #ARGV)))
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			return 1
			""");

	/**
	 * KEYS[1] the session; ARGV[1] the time now and ARGV[2] the new last access, in epoch
	 * ms; ARGV[3] the idle timeout in ms and ARGV[4] '1' if it is the session's own (else
	 * it is the configured default, kept out when the stored session has its own);
	 * ARGV[5] '1' to clear attributes first; ARGV[6] number n of fields to delete;
	 * ARGV[7..6+n] those fields; then field/value pairs to set. The TTL follows from the
	 * idle timeout that results and the stored absolute expiry. Returns the TTL set in
	 * ms, or 0, writing nothing, when the key is missing (or not a session hash).
	 */
	private static final Script UPDATE = new Script("""
			if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then
			  return 0
			end
			if ARGV[5] == '1' then
			  local stale = {}
			  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
			    if string.sub(field, 1, 2) == 'a:' then
			      stale[#stale + 1] = field
			    end
			  end
			  for i = 1, #stale, 500 do
			    redis.call('HDEL', KEYS[1], unpack(stale, i, math.min(i + 499, #stale)))
			  end
			end
			local removed = tonumber(ARGV[6])
			for i = 7, 6 + removed, 500 do
			  redis.call('HDEL', KEYS[1], unpack(ARGV, i, math.min(i + 499, 6 + removed)))
			end
			local stored = redis.call('HMGET', KEYS[1], 'm:o', 'm:i', 'm:x')
			local idle = ARGV[3]
			local fields = {'m:a', ARGV[2]}
			if ARGV[4] == '1' then
			  fields[3], fields[4], fields[5], fields[6] = 'm:i', idle, 'm:o', '1'
			elseif stored[1] == '1' then
			  idle = stored[2]
			else
			  fields[3], fields[4] = 'm:i', idle
			end
			for i = 7 + removed, #ARGV do
			  fields[#fields + 1] = ARGV[i]
			end
			for i = 1, #fields, 500 do
			  redis.call('HSET', KEYS[1], unpack(fields, i, math.min(i + 499, #fields)))
			end
			local expires = tonumber(ARGV[2]) + tonumber(idle)
			if stored[3] and tonumber(stored[3]) < expires then
			  expires = tonumber(stored[3])
			end
			local ttl = math.max(1, expires - tonumber(ARGV[1]))
			redis.call('PEXPIRE', KEYS[1], ttl)
			return ttl
			""");

	private final Mono<ReactiveRedisConnection> opening;

	/**
	 * The connection once open: a scalar {@code Mono} of it lets each command skip the
	 * cache operator ({@code flatMap} calls its function at once on a scalar source).
	 */
	private volatile @Nullable ReactiveRedisConnection opened;

	private final String keyPrefix;

	private final Clock clock;

	/**
	 * Create a store with the default key prefix.
	 * @param connectionFactory the application's connection factory
	 */
	public RedisSessionStore(ReactiveRedisConnectionFactory connectionFactory) {
		this(connectionFactory, DEFAULT_KEY_PREFIX, Clock.systemUTC());
	}

	/**
	 * Create a store.
	 * @param connectionFactory the application's connection factory
	 * @param keyPrefix prefix of every key this store writes
	 * @param clock the clock TTLs are computed with
	 */
	public RedisSessionStore(ReactiveRedisConnectionFactory connectionFactory, String keyPrefix, Clock clock) {
		// Opened once on a worker thread; concurrent first callers share the attempt, and
		// a
		// failed attempt is retried by the next caller.
		this.opening = Mono.fromCallable(connectionFactory::getReactiveConnection)
			.subscribeOn(Schedulers.boundedElastic())
			.cacheInvalidateWhen((connection) -> Mono.never())
			.doOnNext((connection) -> this.opened = connection);
		this.keyPrefix = keyPrefix;
		this.clock = clock;
	}

	private Mono<ReactiveRedisConnection> connection() {
		ReactiveRedisConnection connection = this.opened;
		return (connection != null) ? Mono.just(connection) : this.opening;
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		return connection()
			.flatMap((redis) -> redis.hashCommands()
				.hGetAll(redisKey(key))
				.collectMap((entry) -> string(entry.getKey()), (entry) -> bytes(entry.getValue())))
			.flatMap((fields) -> fields.isEmpty() ? Mono.empty() : parse(key, fields))
			.onErrorResume(RedisSessionStore::isWrongType, (ex) -> dropCorrupt(key, "not a hash"));
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		List<ByteBuffer> args = new ArrayList<>(2 + 2 * (4 + record.getAttributes().size()));
		args.add(ttl(record.getExpiresAt()));
		addField(args, CREATED, millis(record.getCreationTime()));
		addField(args, LAST_ACCESS, millis(record.getLastAccessTime()));
		addField(args, MAX_IDLE, millis(record.getMaxIdleTime()));
		if (record.isMaxIdleTimeOverridden()) {
			addField(args, OWN_MAX_IDLE, utf8("1"));
		}
		if (record.getAbsoluteExpiry() != null) {
			addField(args, ABSOLUTE_EXPIRY, millis(record.getAbsoluteExpiry()));
		}
		if (record.getPrincipal() != null) {
			addField(args, PRINCIPAL, utf8(record.getPrincipal()));
		}
		record.getAttributes().forEach((name, value) -> addField(args, ATTRIBUTE_PREFIX + name, value));
		return execute(CREATE, key, args).then(index(record.getPrincipal(), key, record.getExpiresAt()));
	}

	@Override
	public Mono<Boolean> update(String key, SessionDelta delta) {
		List<ByteBuffer> args = new ArrayList<>(7 + delta.getRemoved().size() + 2 * (1 + delta.getChanged().size()));
		long now = this.clock.millis();
		args.add(ByteBuffer.wrap(millis(now)));
		args.add(ByteBuffer.wrap(millis(delta.getLastAccessTime())));
		args.add(ByteBuffer.wrap(millis(delta.getMaxIdleTime())));
		args.add(ByteBuffer.wrap(utf8(delta.isMaxIdleTimeOverride() ? "1" : "0")));
		args.add(ByteBuffer.wrap(utf8(delta.isClearAll() ? "1" : "0")));
		List<String> removed = new ArrayList<>(delta.getRemoved().size() + 1);
		delta.getRemoved().forEach((name) -> removed.add(ATTRIBUTE_PREFIX + name));
		if (delta.isPrincipalChanged() && delta.getPrincipal() == null) {
			removed.add(PRINCIPAL);
		}
		args.add(ByteBuffer.wrap(utf8(Integer.toString(removed.size()))));
		removed.forEach((field) -> args.add(ByteBuffer.wrap(utf8(field))));
		if (delta.isPrincipalChanged() && delta.getPrincipal() != null) {
			addField(args, PRINCIPAL, utf8(delta.getPrincipal()));
		}
		delta.getChanged().forEach((name, value) -> addField(args, ATTRIBUTE_PREFIX + name, value));
		Mono<Long> ttl = execute(UPDATE, key, args);
		if (!delta.isPrincipalChanged()) {
			return ttl.map((set) -> set > 0);
		}
		return ttl.flatMap(
				(set) -> (set > 0) ? index(delta.getPrincipal(), key, Instant.ofEpochMilli(now + set)).thenReturn(true)
						: Mono.just(false));
	}

	@Override
	public Mono<Boolean> delete(String key) {
		return connection().flatMap((redis) -> redis.keyCommands().del(redisKey(key))).map((deleted) -> deleted > 0);
	}

	/**
	 * Count sessions with {@code SCAN} over this store's prefix (on every master of a
	 * cluster): O(number of keys in the database), meant for monitoring, not for every
	 * request.
	 */
	@Override
	public Mono<Long> count() {
		ScanOptions options = ScanOptions.scanOptions().match(escapeGlob(this.keyPrefix) + "*").count(1000).build();
		int sessionKeyLength = utf8(this.keyPrefix).length + SessionKeys.KEY_LENGTH;
		return connection().flatMap((redis) -> redis.keyCommands()
			.scan(options)
			.filter((key) -> key.remaining() == sessionKeyLength)
			.count());
	}

	/**
	 * Return the sessions in a principal's index set, removing members whose session is
	 * gone. The index lives on its own key (its own slot on a cluster), written only when
	 * a session gets or changes its principal: at login, not on every request.
	 */
	@Override
	public Flux<String> findByPrincipal(String principal) {
		ByteBuffer index = principalIndex(principal);
		return connection()
			.flatMapMany((redis) -> redis.setCommands()
				.sMembers(index)
				.map(RedisSessionStore::string)
				.flatMap(
						(key) -> redis.keyCommands()
							.exists(redisKey(key))
							.flatMap((exists) -> exists ? Mono.just(key)
									: redis.setCommands().sRem(index, ByteBuffer.wrap(utf8(key))).then(Mono.empty())),
						8));
	}

	private Mono<Void> index(@Nullable String principal, String key, Instant expiresAt) {
		if (principal == null) {
			return Mono.empty();
		}
		List<ByteBuffer> args = List.of(ByteBuffer.wrap(utf8(key)), ttl(expiresAt));
		ByteBuffer[] keysAndArgs = { principalIndex(principal), args.get(0), args.get(1) };
		return connection()
			.flatMap(
					(redis) -> redis.scriptingCommands()
						.<Long>evalSha(INDEX.sha1(), ReturnType.INTEGER, 1, keysAndArgs)
						.onErrorResume(RedisSessionStore::isNoScript, (ex) -> redis.scriptingCommands()
							.eval(ByteBuffer.wrap(utf8(INDEX.text())), ReturnType.INTEGER, 1, rewind(keysAndArgs)))
						.then());
	}

	private ByteBuffer principalIndex(String principal) {
		return ByteBuffer.wrap(utf8(this.keyPrefix + PRINCIPAL_INDEX + SessionKeys.hash(principal)));
	}

	private Mono<SessionRecord> parse(String key, Map<String, byte[]> fields) {
		try {
			Instant created = Instant.ofEpochMilli(requiredLong(fields, CREATED));
			Instant lastAccess = Instant.ofEpochMilli(requiredLong(fields, LAST_ACCESS));
			long maxIdle = requiredLong(fields, MAX_IDLE);
			boolean ownMaxIdle = fields.containsKey(OWN_MAX_IDLE);
			byte[] absolute = fields.get(ABSOLUTE_EXPIRY);
			byte[] principal = fields.get(PRINCIPAL);
			Map<String, byte[]> attributes = new LinkedHashMap<>();
			fields.forEach((field, value) -> {
				if (field.startsWith(ATTRIBUTE_PREFIX)) {
					attributes.put(field.substring(ATTRIBUTE_PREFIX.length()), value);
				}
			});
			return Mono.just(new SessionRecord(created, lastAccess, Duration.ofMillis(maxIdle), ownMaxIdle,
					(absolute != null) ? Instant.ofEpochMilli(parseLong(absolute)) : null, attributes,
					(principal != null) ? new String(principal, StandardCharsets.UTF_8) : null));
		}
		catch (IllegalArgumentException | java.time.DateTimeException ex) {
			return dropCorrupt(key, ex.getMessage());
		}
	}

	private Mono<SessionRecord> dropCorrupt(String key, @Nullable String reason) {
		logger.warn("Dropped unreadable Redis session " + SessionKeys.describe(key) + ": " + reason);
		return delete(key).then(Mono.empty());
	}

	/**
	 * Run a script by its SHA-1, loading it with EVAL the first time a server has not
	 * seen it. Spring Data Redis's {@code ReactiveScriptExecutor} does the same, but not
	 * on a raw connection with arguments as bytes: it goes through a
	 * {@code ReactiveRedisTemplate} and its serialization context, and asks the script
	 * for its SHA-1 on every call, which takes a lock ({@link Script}). Both cost on
	 * every write, on the event loop, so the store keeps this fallback of its own.
	 */
	private Mono<Long> execute(Script script, String key, List<ByteBuffer> args) {
		ByteBuffer[] keysAndArgs = new ByteBuffer[args.size() + 1];
		keysAndArgs[0] = redisKey(key);
		for (int i = 0; i < args.size(); i++) {
			keysAndArgs[i + 1] = args.get(i);
		}
		return connection()
			.flatMap(
					(redis) -> redis.scriptingCommands()
						.<Long>evalSha(script.sha1(), ReturnType.INTEGER, 1, keysAndArgs)
						.onErrorResume(RedisSessionStore::isNoScript, (ex) -> redis.scriptingCommands()
							.eval(ByteBuffer.wrap(utf8(script.text())), ReturnType.INTEGER, 1, rewind(keysAndArgs)))
						.next());
	}

	private static ByteBuffer[] rewind(ByteBuffer[] buffers) {
		for (ByteBuffer buffer : buffers) {
			buffer.rewind();
		}
		return buffers;
	}

	private static boolean isNoScript(Throwable ex) {
		return hasMessage(ex, "NOSCRIPT");
	}

	private static boolean isWrongType(Throwable ex) {
		return hasMessage(ex, "WRONGTYPE");
	}

	private static boolean hasMessage(Throwable ex, String code) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains(code)) {
				return true;
			}
		}
		return false;
	}

	private static long requiredLong(Map<String, byte[]> fields, String field) {
		byte[] value = fields.get(field);
		if (value == null) {
			throw new IllegalArgumentException("missing field " + field);
		}
		return parseLong(value);
	}

	private static long parseLong(byte[] value) {
		try {
			return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed number", ex);
		}
	}

	private ByteBuffer redisKey(String key) {
		return ByteBuffer.wrap(utf8(this.keyPrefix + key));
	}

	private ByteBuffer ttl(Instant expiresAt) {
		return ByteBuffer.wrap(millis(Math.max(1, expiresAt.toEpochMilli() - this.clock.millis())));
	}

	private static void addField(List<ByteBuffer> args, String field, byte[] value) {
		args.add(ByteBuffer.wrap(utf8(field)));
		args.add(ByteBuffer.wrap(value));
	}

	private static byte[] millis(Instant instant) {
		return millis(instant.toEpochMilli());
	}

	private static byte[] millis(Duration duration) {
		return millis(duration.toMillis());
	}

	private static byte[] millis(long value) {
		return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

	private static String string(ByteBuffer buffer) {
		return new String(bytes(buffer), StandardCharsets.UTF_8);
	}

	private static String escapeGlob(String prefix) {
		return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}

	/**
	 * A Lua script with its SHA-1 computed once. Spring Data's
	 * {@code DefaultRedisScript.getSha1()} takes a lock on every call, and every write
	 * asks for the SHA-1 on a Netty event loop: under concurrent writes the event loops
	 * queued on that lock (BlockHound reported the wait during the cluster failover
	 * test).
	 */
	private record Script(String text, String sha1) {

		Script(String text) {
			this(text, RedisScript.of(text).getSha1());
		}

	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	@Override
	public String toString() {
		return "RedisSessionStore[prefix=" + this.keyPrefix + "]";
	}

}
