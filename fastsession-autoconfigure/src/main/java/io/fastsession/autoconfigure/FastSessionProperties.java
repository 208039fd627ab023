package io.fastsession.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.fastsession.web.CookieSessionIdResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for fastsession.
 *
 * @author fastsession authors
 */
@ConfigurationProperties("fastsession")
public class FastSessionProperties {

	/**
	 * Where sessions are stored: memory, file, redis, memcached, postgres, mysql or
	 * sqlite (case-insensitive; fasthttpsession's names memcache and sqlite3 are accepted
	 * too).
	 */
	private Provider provider = Provider.MEMORY;

	/**
	 * Idle timeout: a session not used for this long expires. A number without a unit is
	 * in seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration timeout = Duration.ofMinutes(30);

	/**
	 * Absolute timeout: a session expires this long after it was created, however active
	 * it is. Unset for none. A number without a unit is in seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration absoluteTimeout;

	/**
	 * How often stores that do not expire entries by themselves (file, SQL) remove
	 * expired sessions. A number without a unit is in seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration cleanupInterval = Duration.ofMinutes(1);

	/**
	 * Fraction of the idle timeout after which an unchanged session's expiry is refreshed
	 * in the store. 0 refreshes on every request; higher values save writes.
	 */
	private double touchThreshold = 0.25;

	/**
	 * Whether a new session is stored (and its cookie set) only once it holds an
	 * attribute.
	 */
	private boolean lazyCreate = true;

	/**
	 * Longest a store operation may take before the request is answered with 503 Service
	 * Unavailable. A number without a unit is in milliseconds, as for Spring Boot's
	 * client timeouts.
	 */
	private Duration storeTimeout = Duration.ofSeconds(2);

	/**
	 * How attribute values are serialized.
	 */
	private Codec codec = Codec.JSON;

	/**
	 * Attribute that holds the name of the user a session belongs to, for the principal
	 * index ("log out everywhere"). With Spring Security on the classpath, the name of
	 * the authenticated user in the security context comes first.
	 */
	private String principalAttribute = "fastsession.principal";

	/**
	 * Largest encoded value one attribute may have. Setting a larger one fails where it
	 * is set, answered with 507 Insufficient Storage; the session stays as it was.
	 */
	private DataSize maxAttributeSize = DataSize.ofKilobytes(256);

	/**
	 * Largest a session's attributes may be together (names and encoded values). A change
	 * that would go beyond it fails, answered with 507 Insufficient Storage.
	 */
	private DataSize maxSessionSize = DataSize.ofMegabytes(1);

	/**
	 * Most attributes one session may hold. Setting one more fails, answered with 507
	 * Insufficient Storage.
	 */
	private int maxAttributes = 1000;

	private final JdkCodec jdkCodec = new JdkCodec();

	private final Webflux webflux = new Webflux();

	private final Cookie cookie = new Cookie();

	private final SessionId sessionId = new SessionId();

	private final Memory memory = new Memory();

	private final File file = new File();

	private final Redis redis = new Redis();

	private final Memcached memcached = new Memcached();

	private final Jdbc jdbc = new Jdbc();

	private final Sqlite sqlite = new Sqlite();

	public Provider getProvider() {
		return this.provider;
	}

	public void setProvider(Provider provider) {
		this.provider = provider;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public @Nullable Duration getAbsoluteTimeout() {
		return this.absoluteTimeout;
	}

	public void setAbsoluteTimeout(@Nullable Duration absoluteTimeout) {
		this.absoluteTimeout = absoluteTimeout;
	}

	public Duration getCleanupInterval() {
		return this.cleanupInterval;
	}

	public void setCleanupInterval(Duration cleanupInterval) {
		this.cleanupInterval = cleanupInterval;
	}

	public double getTouchThreshold() {
		return this.touchThreshold;
	}

	public void setTouchThreshold(double touchThreshold) {
		this.touchThreshold = touchThreshold;
	}

	public boolean isLazyCreate() {
		return this.lazyCreate;
	}

	public void setLazyCreate(boolean lazyCreate) {
		this.lazyCreate = lazyCreate;
	}

	public Duration getStoreTimeout() {
		return this.storeTimeout;
	}

	public void setStoreTimeout(Duration storeTimeout) {
		this.storeTimeout = storeTimeout;
	}

	public DataSize getMaxAttributeSize() {
		return this.maxAttributeSize;
	}

	public void setMaxAttributeSize(DataSize maxAttributeSize) {
		this.maxAttributeSize = maxAttributeSize;
	}

	public DataSize getMaxSessionSize() {
		return this.maxSessionSize;
	}

	public void setMaxSessionSize(DataSize maxSessionSize) {
		this.maxSessionSize = maxSessionSize;
	}

	public int getMaxAttributes() {
		return this.maxAttributes;
	}

	public void setMaxAttributes(int maxAttributes) {
		this.maxAttributes = maxAttributes;
	}

	public String getPrincipalAttribute() {
		return this.principalAttribute;
	}

	public void setPrincipalAttribute(String principalAttribute) {
		this.principalAttribute = principalAttribute;
	}

	public Webflux getWebflux() {
		return this.webflux;
	}

	public Codec getCodec() {
		return this.codec;
	}

	public void setCodec(Codec codec) {
		this.codec = codec;
	}

	public JdkCodec getJdkCodec() {
		return this.jdkCodec;
	}

	public Cookie getCookie() {
		return this.cookie;
	}

	public SessionId getSessionId() {
		return this.sessionId;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public File getFile() {
		return this.file;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Memcached getMemcached() {
		return this.memcached;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Sqlite getSqlite() {
		return this.sqlite;
	}

	/**
	 * Where sessions are stored.
	 */
	public enum Provider {

		/**
		 * In this JVM, in a bounded Caffeine cache; sessions end when the application
		 * stops.
		 */
		MEMORY,

		/**
		 * One file per session under fastsession.file.directory.
		 */
		FILE,

		/**
		 * A Redis hash per session, through spring.data.redis.*.
		 */
		REDIS,

		/**
		 * One memcached item per session, on fastsession.memcached.servers
		 * (fasthttpsession's "memcache").
		 */
		MEMCACHED,

		/**
		 * PostgreSQL tables, through spring-jdbc and Flyway.
		 */
		POSTGRES,

		/**
		 * MySQL 8 or MariaDB 10.6+ tables, through spring-jdbc and Flyway.
		 */
		MYSQL,

		/**
		 * An embedded SQLite file at fastsession.sqlite.path (fasthttpsession's
		 * "sqlite3").
		 */
		SQLITE;

		/**
		 * Return the name used in properties, logs and metric tags, such as
		 * {@code memory}.
		 * @return the lower-case name
		 */
		public String id() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * Attribute serialization.
	 */
	public enum Codec {

		/**
		 * JSON through the application's Jackson mapper; no type information is stored.
		 */
		JSON,

		/**
		 * Java serialization, restricted to the classes allowed by
		 * fastsession.jdk-codec.allowed-classes.
		 */
		JDK

	}

	/**
	 * Where the session id travels.
	 */
	public enum Source {

		/**
		 * A cookie (fastsession.cookie.*).
		 */
		COOKIE,

		/**
		 * A request header, echoed in the response when the id is new or changes.
		 */
		HEADER,

		/**
		 * A URL query parameter (read only). Ids in URLs leak through logs and Referer
		 * headers: use only when nothing else works.
		 */
		QUERY

	}

	/**
	 * Java serialization settings.
	 */
	public static class JdkCodec {

		/**
		 * Class name patterns (java.io.ObjectInputFilter syntax, such as "java.time.*" or
		 * "com.example.**") that the JDK codec may deserialize; everything else is
		 * refused.
		 */
		private List<String> allowedClasses = new ArrayList<>(
				List.of("java.lang.*", "java.util.*", "java.time.*", "java.math.*"));

		public List<String> getAllowedClasses() {
			return this.allowedClasses;
		}

		public void setAllowedClasses(List<String> allowedClasses) {
			this.allowedClasses = allowedClasses;
		}

	}

	/**
	 * Session cookie settings.
	 */
	public static class Cookie {

		/**
		 * Name of the session cookie. A name with the __Host- or __Secure- prefix
		 * requires secure=always (and __Host- no domain and path /), as browsers do.
		 */
		private String name = "SESSION";

		/**
		 * Domain of the session cookie. Unset for the request's host only.
		 */
		private @Nullable String domain;

		/**
		 * Path of the session cookie.
		 */
		private String path = "/";

		/**
		 * Whether the session cookie is hidden from scripts (HttpOnly).
		 */
		private boolean httpOnly = true;

		/**
		 * When the session cookie is marked Secure: auto (when the request came over
		 * HTTPS, also behind a proxy that sets X-Forwarded-Proto or Forwarded), always or
		 * never. true is read as auto (fasthttpsession's Secure: only over TLS), false as
		 * never.
		 */
		private CookieSessionIdResolver.SecureMode secure = CookieSessionIdResolver.SecureMode.AUTO;

		/**
		 * SameSite attribute of the session cookie: strict, lax, none (requires Secure in
		 * browsers) or omitted (no attribute). Case-insensitive.
		 */
		private SameSite sameSite = SameSite.LAX;

		/**
		 * Lifetime of the session cookie. Unset for a cookie that ends with the browser
		 * session; a positive duration makes it persistent (renewed as the session is
		 * used). A number without a unit is in seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration maxAge;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public @Nullable String getDomain() {
			return this.domain;
		}

		public void setDomain(@Nullable String domain) {
			this.domain = domain;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public boolean isHttpOnly() {
			return this.httpOnly;
		}

		public void setHttpOnly(boolean httpOnly) {
			this.httpOnly = httpOnly;
		}

		public CookieSessionIdResolver.SecureMode getSecure() {
			return this.secure;
		}

		public void setSecure(CookieSessionIdResolver.SecureMode secure) {
			this.secure = secure;
		}

		public SameSite getSameSite() {
			return this.sameSite;
		}

		public void setSameSite(SameSite sameSite) {
			this.sameSite = sameSite;
		}

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Values of the session cookie's SameSite attribute.
	 */
	public enum SameSite {

		/**
		 * Sent only on same-site requests.
		 */
		STRICT("Strict"),

		/**
		 * Sent on same-site requests and top-level cross-site navigations.
		 */
		LAX("Lax"),

		/**
		 * Sent on every request; browsers require Secure with it.
		 */
		NONE("None"),

		/**
		 * No SameSite attribute: the browser's default applies.
		 */
		OMITTED(null);

		private final @Nullable String attributeValue;

		SameSite(@Nullable String attributeValue) {
			this.attributeValue = attributeValue;
		}

		/**
		 * Return the attribute's value as sent in Set-Cookie.
		 * @return the value, or {@code null} for no attribute
		 */
		public @Nullable String attributeValue() {
			return this.attributeValue;
		}

	}

	/**
	 * Session id settings.
	 */
	public static class SessionId {

		/**
		 * Where the session id is read from, in order of preference, and sent to.
		 */
		private List<Source> sources = new ArrayList<>(List.of(Source.COOKIE));

		/**
		 * Name of the header that carries the session id, when the header source is on.
		 */
		private String headerName = "X-Session-Id";

		/**
		 * Name of the query parameter that carries the session id, when the query source
		 * is on.
		 */
		private String queryParam = "session";

		/**
		 * Random bytes per generated session id (at least 16).
		 */
		private int bytes = 32;

		/**
		 * Keys that sign session ids with HMAC-SHA256, each at least 32 bytes. The first
		 * signs, all verify: put a new key first to rotate. Empty for unsigned ids.
		 */
		private List<String> signingKeys = new ArrayList<>();

		public List<Source> getSources() {
			return this.sources;
		}

		public void setSources(List<Source> sources) {
			this.sources = sources;
		}

		public String getHeaderName() {
			return this.headerName;
		}

		public void setHeaderName(String headerName) {
			this.headerName = headerName;
		}

		public String getQueryParam() {
			return this.queryParam;
		}

		public void setQueryParam(String queryParam) {
			this.queryParam = queryParam;
		}

		public int getBytes() {
			return this.bytes;
		}

		public void setBytes(int bytes) {
			this.bytes = bytes;
		}

		public List<String> getSigningKeys() {
			return this.signingKeys;
		}

		public void setSigningKeys(List<String> signingKeys) {
			this.signingKeys = signingKeys;
		}

	}

	/**
	 * Memory provider settings.
	 */
	public static class Memory {

		/**
		 * Most sessions kept in memory; beyond it, the least likely to be used again are
		 * evicted.
		 */
		private long maxSessions = 100_000;

		/**
		 * Most memory the sessions may take together (their attribute bytes and an
		 * estimated overhead each); beyond it, the least likely to be used again are
		 * evicted. Unset for a quarter of the JVM's maximum heap.
		 */
		private @Nullable DataSize maxSize;

		public long getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(long maxSessions) {
			this.maxSessions = maxSessions;
		}

		public @Nullable DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(@Nullable DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	/**
	 * File provider settings.
	 */
	public static class File {

		/**
		 * Directory that holds the session files; created if missing. Required for the
		 * file provider.
		 */
		private @Nullable Path directory;

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

	}

	/**
	 * Redis provider settings. The connection itself is configured by
	 * spring.data.redis.*.
	 */
	public static class Redis {

		/**
		 * Prefix of every key the redis provider writes.
		 */
		private String keyPrefix = "fastsession:";

		/**
		 * Whether Lettuce's connections, when Spring Boot builds them, send the commands
		 * that several threads issue in one turn of Lettuce's event loop in one write
		 * (Netty's FlushConsolidationHandler). It applies to the application's whole
		 * Redis client, not only to sessions.
		 */
		private boolean consolidateFlushes = true;

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public boolean isConsolidateFlushes() {
			return this.consolidateFlushes;
		}

		public void setConsolidateFlushes(boolean consolidateFlushes) {
			this.consolidateFlushes = consolidateFlushes;
		}

	}

	/**
	 * When the SQL providers create and migrate their tables.
	 */
	public enum InitializeSchema {

		/**
		 * At every start-up, with Flyway; migrations already applied are skipped.
		 */
		ALWAYS,

		/**
		 * Never: the tables are created by you, from the migrations in the
		 * fastsession-core jar.
		 */
		NEVER

	}

	/**
	 * SQL provider settings (postgres, mysql, sqlite).
	 */
	public static class Jdbc {

		/**
		 * JDBC URL of the database for sessions, which then get a connection pool of
		 * their own. Unset to use the application's DataSource.
		 */
		private @Nullable String url;

		/**
		 * Login user for fastsession.jdbc.url.
		 */
		private @Nullable String username;

		/**
		 * Login password for fastsession.jdbc.url.
		 */
		private @Nullable String password;

		/**
		 * Connections in the pool of fastsession.jdbc.url; also the number of threads
		 * that run session queries.
		 */
		private int poolSize = 10;

		/**
		 * Prefix of fastsession's table names and of its Flyway history table.
		 */
		private String tablePrefix = "fastsession_";

		/**
		 * Whether fastsession creates and migrates its tables at start-up.
		 */
		private InitializeSchema initializeSchema = InitializeSchema.ALWAYS;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

		public String getTablePrefix() {
			return this.tablePrefix;
		}

		public void setTablePrefix(String tablePrefix) {
			this.tablePrefix = tablePrefix;
		}

		public InitializeSchema getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(InitializeSchema initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/**
	 * SQLite provider settings.
	 */
	public static class Sqlite {

		/**
		 * Database file of the sqlite provider; created, with its directory, if missing.
		 * Required for the sqlite provider.
		 */
		private @Nullable Path path;

		/**
		 * How long a connection waits for SQLite's write lock before failing. A number
		 * without a unit is in milliseconds.
		 */
		private Duration busyTimeout = Duration.ofSeconds(5);

		/**
		 * Connections to the database file; writes are serialized, reads run in parallel.
		 */
		private int poolSize = 4;

		public @Nullable Path getPath() {
			return this.path;
		}

		public void setPath(@Nullable Path path) {
			this.path = path;
		}

		public Duration getBusyTimeout() {
			return this.busyTimeout;
		}

		public void setBusyTimeout(Duration busyTimeout) {
			this.busyTimeout = busyTimeout;
		}

		public int getPoolSize() {
			return this.poolSize;
		}

		public void setPoolSize(int poolSize) {
			this.poolSize = poolSize;
		}

	}

	/**
	 * What requests whose session lives on a memcached node that is down get. (Kept apart
	 * from spymemcached's types: this class must load without spymemcached.)
	 */
	public enum MemcachedNodeFailure {

		/**
		 * A new session: their operations go to the next node on the ring.
		 */
		NEW_SESSION,

		/**
		 * 503 Service Unavailable until the node is back.
		 */
		UNAVAILABLE

	}

	/**
	 * Protocol spoken to memcached.
	 */
	public enum MemcachedProtocol {

		/**
		 * The binary protocol.
		 */
		BINARY,

		/**
		 * The text (ASCII) protocol.
		 */
		TEXT

	}

	/**
	 * Memcached provider settings.
	 */
	public static class Memcached {

		/**
		 * Memcached servers, as host:port entries. Sessions are spread over them by
		 * consistent (Ketama) hashing.
		 */
		private List<String> servers = new ArrayList<>(List.of("127.0.0.1:11211"));

		/**
		 * Longest a memcached operation may take. A number without a unit is in
		 * milliseconds.
		 */
		private Duration operationTimeout = Duration.ofSeconds(1);

		/**
		 * Protocol spoken to memcached.
		 */
		private MemcachedProtocol protocol = MemcachedProtocol.BINARY;

		/**
		 * Prefix of every key the memcached provider writes (printable ASCII, no spaces).
		 */
		private String keyPrefix = "fastsession:";

		/**
		 * What requests whose session lives on a node that is down get: new-session
		 * (their operations go to the next node, where the session is not found) or
		 * unavailable (503 until the node is back).
		 */
		private MemcachedNodeFailure nodeFailure = MemcachedNodeFailure.NEW_SESSION;

		/**
		 * Largest item the memcached servers accept (their -I setting); bigger sessions
		 * are refused with 507 and nothing is written.
		 */
		private DataSize maxItemSize = DataSize.ofMegabytes(1);

		public List<String> getServers() {
			return this.servers;
		}

		public void setServers(List<String> servers) {
			this.servers = servers;
		}

		public Duration getOperationTimeout() {
			return this.operationTimeout;
		}

		public void setOperationTimeout(Duration operationTimeout) {
			this.operationTimeout = operationTimeout;
		}

		public MemcachedProtocol getProtocol() {
			return this.protocol;
		}

		public void setProtocol(MemcachedProtocol protocol) {
			this.protocol = protocol;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public MemcachedNodeFailure getNodeFailure() {
			return this.nodeFailure;
		}

		public void setNodeFailure(MemcachedNodeFailure nodeFailure) {
			this.nodeFailure = nodeFailure;
		}

		public DataSize getMaxItemSize() {
			return this.maxItemSize;
		}

		public void setMaxItemSize(DataSize maxItemSize) {
			this.maxItemSize = maxItemSize;
		}

	}

	/**
	 * WebFlux integration settings.
	 */
	public static class Webflux {

		/**
		 * Whether ServerWebExchange.getSession(), @SessionAttribute and Spring Security
		 * use fastsession's session (the same one as the Session parameter) instead of
		 * WebFlux's in-memory sessions.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
