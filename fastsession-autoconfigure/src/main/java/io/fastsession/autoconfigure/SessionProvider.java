package io.fastsession.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The providers {@code fastsession.provider} can name, with the class that proves each
 * one's client library is present and the dependency that brings it.
 */
enum SessionProvider {

	MEMORY("memory", "com.github.benmanes.caffeine.cache.Caffeine", "com.github.ben-manes.caffeine:caffeine"),

	FILE("file", null, null),

	REDIS("redis", "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory",
			"org.springframework.boot:spring-boot-starter-data-redis-reactive"),

	MEMCACHED("memcached", "net.spy.memcached.MemcachedClient", "net.spy:spymemcached"),

	POSTGRES("postgres", "org.postgresql.Driver",
			"org.postgresql:postgresql, org.springframework:spring-jdbc and org.flywaydb:flyway-database-postgresql"),

	MYSQL("mysql", "com.mysql.cj.jdbc.Driver|org.mariadb.jdbc.Driver",
			"com.mysql:mysql-connector-j (or org.mariadb.jdbc:mariadb-java-client), org.springframework:spring-jdbc"
					+ " and org.flywaydb:flyway-mysql"),

	SQLITE("sqlite", "org.sqlite.JDBC",
			"org.xerial:sqlite-jdbc, org.springframework:spring-jdbc and org.flywaydb:flyway-core");

	private final String name;

	private final @Nullable String requiredClass;

	private final @Nullable String dependency;

	SessionProvider(String name, @Nullable String requiredClass, @Nullable String dependency) {
		this.name = name;
		this.requiredClass = requiredClass;
		this.dependency = dependency;
	}

	String getName() {
		return this.name;
	}

	@Nullable String getRequiredClass() {
		return this.requiredClass;
	}

	@Nullable String getDependency() {
		return this.dependency;
	}

	boolean isDriverPresent(@Nullable ClassLoader classLoader) {
		if (this.requiredClass == null) {
			return true;
		}
		return Arrays.stream(this.requiredClass.split("\\|"))
			.anyMatch((name) -> ClassUtils.isPresent(name, classLoader));
	}

	static Optional<SessionProvider> of(String name) {
		String normalized = name.strip().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((provider) -> provider.name.equals(normalized)).findFirst();
	}

	static String names() {
		return Arrays.stream(values()).map(SessionProvider::getName).collect(Collectors.joining(", "));
	}

}
