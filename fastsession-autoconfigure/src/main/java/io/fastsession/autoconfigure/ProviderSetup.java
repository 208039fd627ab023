package io.fastsession.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.fastsession.autoconfigure.FastSessionProperties.InitializeSchema;
import io.fastsession.autoconfigure.FastSessionProperties.Provider;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * A provider in the setup the properties choose, with every library that setup needs: the
 * SQL providers need a pool library only for a pool of their own, the application's
 * {@code DataSource} comes with Spring Boot's JDBC starter, and Flyway only when
 * fastsession migrates its tables. A missing library is reported with all the others the
 * setup needs, so that one start-up failure says everything to add.
 *
 * @param provider the provider
 * @param description the setup in words, for failure reports
 * @param libraries what it needs, in the order to add them
 */
record ProviderSetup(Provider provider, String description, List<Library> libraries) {

	static final Library CAFFEINE = new Library("Caffeine", "com.github.benmanes.caffeine.cache.Caffeine",
			"com.github.ben-manes.caffeine:caffeine");

	static final Library REDIS = new Library("Spring Data Redis with Lettuce",
			"org.springframework.data.redis.connection.ReactiveRedisConnectionFactory",
			"org.springframework.boot:spring-boot-starter-data-redis-reactive");

	static final Library SPYMEMCACHED = new Library("spymemcached", "net.spy.memcached.MemcachedClient",
			"net.spy:spymemcached");

	static final Library SPRING_JDBC = new Library("spring-jdbc", "org.springframework.jdbc.core.JdbcTemplate",
			"org.springframework:spring-jdbc");

	/**
	 * The application's DataSource: Boot's JDBC starter brings spring-jdbc, a pool and
	 * the DataSource configured from spring.datasource.*.
	 */
	static final Library BOOT_JDBC = new Library("Spring Boot's JDBC starter",
			"org.springframework.jdbc.core.JdbcTemplate", "org.springframework.boot:spring-boot-starter-jdbc");

	static final Library HIKARI = new Library("HikariCP", "com.zaxxer.hikari.HikariDataSource", "com.zaxxer:HikariCP");

	static final Library FLYWAY = new Library("Flyway", "org.flywaydb.core.Flyway", "org.flywaydb:flyway-core");

	static final Library FLYWAY_POSTGRES = new Library("Flyway's PostgreSQL support",
			"org.flywaydb.database.postgresql.PostgreSQLDatabaseType", "org.flywaydb:flyway-database-postgresql");

	static final Library FLYWAY_MYSQL = new Library("Flyway's MySQL support",
			"org.flywaydb.database.mysql.MySQLDatabaseType", "org.flywaydb:flyway-mysql");

	static final Library POSTGRES_DRIVER = new Library("the PostgreSQL JDBC driver", "org.postgresql.Driver",
			"org.postgresql:postgresql");

	static final Library MYSQL_DRIVER = new Library("a MySQL or MariaDB JDBC driver",
			"com.mysql.cj.jdbc.Driver|org.mariadb.jdbc.Driver",
			"com.mysql:mysql-connector-j or org.mariadb.jdbc:mariadb-java-client");

	static final Library SQLITE_DRIVER = new Library("the SQLite JDBC driver", "org.sqlite.JDBC",
			"org.xerial:sqlite-jdbc");

	/**
	 * Return the setup the properties choose.
	 * @param provider the provider
	 * @param jdbcUrl whether {@code fastsession.jdbc.url} is set
	 * @param migrate whether fastsession migrates its tables
	 * @return the setup
	 */
	static ProviderSetup of(Provider provider, boolean jdbcUrl, boolean migrate) {
		String name = "fastsession.provider is '" + provider.id() + "'";
		return switch (provider) {
			case MEMORY -> new ProviderSetup(provider, name, List.of(CAFFEINE));
			case FILE -> new ProviderSetup(provider, name, List.of());
			case REDIS -> new ProviderSetup(provider, name, List.of(REDIS));
			case MEMCACHED -> new ProviderSetup(provider, name, List.of(SPYMEMCACHED));
			case SQLITE -> sql(provider, name + " (an embedded database file)", List.of(SPRING_JDBC, HIKARI), migrate,
					List.of(), SQLITE_DRIVER);
			case POSTGRES, MYSQL -> {
				List<Library> base = jdbcUrl ? List.of(SPRING_JDBC, HIKARI) : List.of(BOOT_JDBC);
				String setup = name + (jdbcUrl ? " with fastsession.jdbc.url (a connection pool of its own)"
						: " without fastsession.jdbc.url (the application's DataSource)");
				boolean postgres = provider == Provider.POSTGRES;
				yield sql(provider, setup, base, migrate, List.of(postgres ? FLYWAY_POSTGRES : FLYWAY_MYSQL),
						postgres ? POSTGRES_DRIVER : MYSQL_DRIVER);
			}
		};
	}

	private static ProviderSetup sql(Provider provider, String setup, List<Library> base, boolean migrate,
			List<Library> flywayModules, Library driver) {
		List<Library> libraries = new ArrayList<>(base);
		if (migrate) {
			libraries.add(FLYWAY);
			libraries.addAll(flywayModules);
		}
		libraries.add(driver);
		String schema = migrate ? "" : ", fastsession.jdbc.initialize-schema=never";
		return new ProviderSetup(provider, setup + schema, List.copyOf(libraries));
	}

	/**
	 * Return the setup the properties choose.
	 * @param properties the bound properties
	 * @return the setup
	 */
	static ProviderSetup of(FastSessionProperties properties) {
		FastSessionProperties.Jdbc jdbc = properties.getJdbc();
		return of(properties.getProvider(), StringUtils.hasText(jdbc.getUrl()),
				jdbc.getInitializeSchema() == InitializeSchema.ALWAYS);
	}

	/**
	 * Return the setup the environment chooses, read before the properties are bound (for
	 * conditions).
	 * @param environment the environment
	 * @return the setup, or {@code null} if {@code fastsession.provider} names none
	 */
	static @Nullable ProviderSetup of(Environment environment) {
		Binder binder = Binder.get(environment);
		String name = binder.bind("fastsession.provider", String.class).orElse("memory");
		Provider provider = FastSessionPropertiesConverter.provider(name).orElse(null);
		if (provider == null) {
			return null;
		}
		boolean jdbcUrl = StringUtils.hasText(binder.bind("fastsession.jdbc.url", String.class).orElse(null));
		String schema = binder.bind("fastsession.jdbc.initialize-schema", String.class).orElse("always");
		// A value that is neither fails when the properties are bound, with Boot's
		// report.
		return of(provider, jdbcUrl, !"never".equalsIgnoreCase(schema.strip()));
	}

	/**
	 * Return the libraries of this setup whose classes are not on the classpath.
	 * @param classLoader the class loader to look in
	 * @return the missing libraries
	 */
	List<Library> missing(@Nullable ClassLoader classLoader) {
		return this.libraries.stream().filter((library) -> !library.isPresent(classLoader)).toList();
	}

	/**
	 * Return every library of this setup by name, for failure reports.
	 * @return the names, joined
	 */
	String libraryNames() {
		List<String> names = this.libraries.stream().map(Library::name).toList();
		if (names.size() <= 1) {
			return String.join("", names);
		}
		return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
	}

	/**
	 * A library a setup needs.
	 *
	 * @param name its name in failure reports
	 * @param classNames classes that prove it present, alternatives separated by
	 * {@code |}
	 * @param dependency the dependency to add when it is missing
	 */
	record Library(String name, String classNames, String dependency) {

		boolean isPresent(@Nullable ClassLoader classLoader) {
			return Arrays.stream(this.classNames.split("\\|"))
				.anyMatch((className) -> ClassUtils.isPresent(className, classLoader));
		}

		static String dependencies(List<Library> libraries) {
			return libraries.stream().map(Library::dependency).collect(Collectors.joining(", "));
		}

	}

}
