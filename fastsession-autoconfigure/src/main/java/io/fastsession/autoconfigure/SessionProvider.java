package io.fastsession.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The providers {@code fastsession.provider} can name, each with the libraries it needs:
 * a class that proves each one present, and the dependency that brings it.
 */
enum SessionProvider {

	MEMORY("memory",
			new Requirement("com.github.benmanes.caffeine.cache.Caffeine", "com.github.ben-manes.caffeine:caffeine")),

	FILE("file"),

	REDIS("redis",
			new Requirement("org.springframework.data.redis.connection.ReactiveRedisConnectionFactory",
					"org.springframework.boot:spring-boot-starter-data-redis-reactive")),

	MEMCACHED("memcached", new Requirement("net.spy.memcached.MemcachedClient", "net.spy:spymemcached")),

	POSTGRES("postgres", new Requirement("org.postgresql.Driver", "org.postgresql:postgresql"), Requirement.JDBC,
			Requirement.FLYWAY,
			new Requirement("org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
					"org.flywaydb:flyway-database-postgresql")),

	MYSQL("mysql",
			new Requirement("com.mysql.cj.jdbc.Driver|org.mariadb.jdbc.Driver",
					"com.mysql:mysql-connector-j or org.mariadb.jdbc:mariadb-java-client"),
			Requirement.JDBC, Requirement.FLYWAY,
			new Requirement("org.flywaydb.database.mysql.MySQLDatabaseType", "org.flywaydb:flyway-mysql")),

	SQLITE("sqlite", new Requirement("org.sqlite.JDBC", "org.xerial:sqlite-jdbc"), Requirement.JDBC, Requirement.FLYWAY,
			new Requirement("com.zaxxer.hikari.HikariDataSource", "com.zaxxer:HikariCP"));

	private final String name;

	private final List<Requirement> requirements;

	SessionProvider(String name, Requirement... requirements) {
		this.name = name;
		this.requirements = List.of(requirements);
	}

	String getName() {
		return this.name;
	}

	/**
	 * Return the requirements whose classes are not on the classpath.
	 */
	List<Requirement> missing(@Nullable ClassLoader classLoader) {
		return this.requirements.stream().filter((requirement) -> !requirement.isPresent(classLoader)).toList();
	}

	static Optional<SessionProvider> of(String name) {
		String normalized = name.strip().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((provider) -> provider.name.equals(normalized)).findFirst();
	}

	static String names() {
		return Arrays.stream(values()).map(SessionProvider::getName).collect(Collectors.joining(", "));
	}

	/**
	 * A library a provider needs.
	 *
	 * @param classNames classes that prove it present, alternatives separated by
	 * {@code |}
	 * @param dependency the dependency to add when it is missing
	 */
	record Requirement(String classNames, String dependency) {

		static final Requirement JDBC = new Requirement("org.springframework.jdbc.core.JdbcTemplate",
				"org.springframework.boot:spring-boot-starter-jdbc");

		static final Requirement FLYWAY = new Requirement("org.flywaydb.core.Flyway", "org.flywaydb:flyway-core");

		boolean isPresent(@Nullable ClassLoader classLoader) {
			return Arrays.stream(this.classNames.split("\\|"))
				.anyMatch((name) -> ClassUtils.isPresent(name, classLoader));
		}

	}

}
