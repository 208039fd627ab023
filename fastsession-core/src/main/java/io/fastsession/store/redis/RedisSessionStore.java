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

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ScanOptions;

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
 * as configured by {@code spring.data.redis.*}. On Boot's
 * {@link LettuceConnectionFactory} a request's commands go through Lettuce's asynchronous
 * API ({@link SessionCommands} says why); the rare ones ({@code SCAN}, the principal
 * index) use the reactive connection.
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
	private static final LuaScript INDEX = new LuaScript("""
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
	private static final LuaScript CREATE = new LuaScript("""
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
	private static final LuaScript UPDATE = new LuaScript("""
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

	/** The rarer commands' connection, opened on first use. */
	private final ReactiveConnectionCommands reactive;

	/** The commands of a request: {@link #reactive} or Lettuce's asynchronous API. */
	private final SessionCommands commands;

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
		this.reactive = new ReactiveConnectionCommands(connectionFactory);
		this.commands = (connectionFactory instanceof LettuceConnectionFactory lettuce)
				? new LettuceAsyncCommands(lettuce) : this.reactive;
		this.keyPrefix = keyPrefix;
		this.clock = clock;
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		return this.commands.hashFields(redisKey(key))
			.flatMap((fields) -> fields.isEmpty() ? Mono.empty() : parse(key, fields))
			.onErrorResume(SessionCommands::isWrongType, (ex) -> dropCorrupt(key, "not a hash"));
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		List<byte[]> args = new ArrayList<>(2 + 2 * (4 + record.getAttributes().size()));
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
		List<byte[]> args = new ArrayList<>(7 + delta.getRemoved().size() + 2 * (1 + delta.getChanged().size()));
		long now = this.clock.millis();
		args.add(millis(now));
		args.add(millis(delta.getLastAccessTime()));
		args.add(millis(delta.getMaxIdleTime()));
		args.add(utf8(delta.isMaxIdleTimeOverride() ? "1" : "0"));
		args.add(utf8(delta.isClearAll() ? "1" : "0"));
		List<String> removed = new ArrayList<>(delta.getRemoved().size() + 1);
		delta.getRemoved().forEach((name) -> removed.add(ATTRIBUTE_PREFIX + name));
		if (delta.isPrincipalChanged() && delta.getPrincipal() == null) {
			removed.add(PRINCIPAL);
		}
		args.add(utf8(Integer.toString(removed.size())));
		removed.forEach((field) -> args.add(utf8(field)));
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
		return this.commands.delete(redisKey(key)).map((deleted) -> deleted > 0);
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
		return this.reactive.connection()
			.flatMap((redis) -> redis.keyCommands()
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
		ByteBuffer index = ByteBuffer.wrap(principalIndex(principal));
		return this.reactive.connection()
			.flatMapMany((redis) -> redis.setCommands()
				.sMembers(index)
				.map(RedisSessionStore::string)
				.flatMap(
						(key) -> redis.keyCommands()
							.exists(ByteBuffer.wrap(redisKey(key)))
							.flatMap((exists) -> exists ? Mono.just(key)
									: redis.setCommands().sRem(index, ByteBuffer.wrap(utf8(key))).then(Mono.empty())),
						8));
	}

	private Mono<Void> index(@Nullable String principal, String key, Instant expiresAt) {
		if (principal == null) {
			return Mono.empty();
		}
		byte[][] args = { utf8(key), ttl(expiresAt) };
		return this.commands.script(INDEX, principalIndex(principal), args).then();
	}

	private byte[] principalIndex(String principal) {
		return utf8(this.keyPrefix + PRINCIPAL_INDEX + SessionKeys.hash(principal));
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

	private Mono<Long> execute(LuaScript script, String key, List<byte[]> args) {
		return this.commands.script(script, redisKey(key), args.toArray(new byte[0][]));
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

	private byte[] redisKey(String key) {
		return utf8(this.keyPrefix + key);
	}

	private byte[] ttl(Instant expiresAt) {
		return millis(Math.max(1, expiresAt.toEpochMilli() - this.clock.millis()));
	}

	private static void addField(List<byte[]> args, String field, byte[] value) {
		args.add(utf8(field));
		args.add(value);
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

	static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

	static String string(ByteBuffer buffer) {
		return new String(bytes(buffer), StandardCharsets.UTF_8);
	}

	private static String escapeGlob(String prefix) {
		return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	@Override
	public String toString() {
		return "RedisSessionStore[prefix=" + this.keyPrefix + "]";
	}

}
