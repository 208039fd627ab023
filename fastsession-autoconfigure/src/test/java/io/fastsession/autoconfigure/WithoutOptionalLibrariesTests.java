package io.fastsession.autoconfigure;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.fastsession.SessionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with the starter and nothing else: every store client, JDBC, Flyway,
 * Spring Security and Actuator are absent. A class that names one of them where it should
 * not (a property type, a bean method signature) breaks every such application at
 * start-up, so the auto-configuration is started here in a class loader without them.
 */
class WithoutOptionalLibrariesTests {

	private static final List<String> OPTIONAL = List.of("spymemcached", "lettuce", "spring-data-redis",
			"spring-boot-data-redis", "flyway", "sqlite-jdbc", "HikariCP", "postgresql", "mariadb", "mysql-connector",
			"spring-jdbc", "spring-boot-jdbc", "spring-boot-sql", "spring-security", "spring-boot-security",
			"spring-boot-actuator", "spring-boot-health", "spring-boot-micrometer", "micrometer-core",
			"testcontainers");

	@Test
	void memoryProviderStartsWithTheStarterAlone() throws Exception {
		try (URLClassLoader loader = without(OPTIONAL)) {
			assertThat(loader.getResource("net/spy/memcached/FailureMode.class")).isNull();
			assertThat(loader.getResource("org/springframework/jdbc/core/JdbcTemplate.class")).isNull();
			assertThat(start(loader)).isEqualTo("started");
		}
	}

	/**
	 * With fastsession.jdbc.initialize-schema=never nothing runs Flyway, so an
	 * application that creates the tables itself does not need it.
	 */
	@Test
	void sqlProviderWithoutMigrationsStartsWithoutFlyway(@TempDir Path directory) throws Exception {
		try (URLClassLoader loader = without(List.of("flyway", "testcontainers"))) {
			assertThat(loader.getResource("org/flywaydb/core/Flyway.class")).isNull();
			assertThat(start(loader, "fastsession.provider=sqlite",
					"fastsession.sqlite.path=" + directory.resolve("sessions.db"),
					"fastsession.jdbc.initialize-schema=never"))
				.isEqualTo("started");
		}
	}

	private static URLClassLoader without(List<String> libraries) throws Exception {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (libraries.stream().noneMatch(entry::contains)) {
				urls.add(new File(entry).toURI().toURL());
			}
		}
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

	private static Object start(URLClassLoader loader, String... properties) throws Exception {
		Class<?> probe = loader.loadClass(Probe.class.getName());
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(loader);
		try {
			return probe.getMethod("start", String[].class).invoke(null, (Object) properties);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/**
	 * Runs inside the stripped class loader.
	 */
	public static final class Probe {

		public static String start(String... properties) {
			String[] result = new String[1];
			new ReactiveWebApplicationContextRunner().withPropertyValues(properties)
				.withConfiguration(AutoConfigurations.of(FastSessionAutoConfiguration.class,
						io.fastsession.autoconfigure.actuate.FastSessionActuatorAutoConfiguration.class))
				.run((context) -> {
					if (context.getStartupFailure() != null) {
						throw new IllegalStateException(context.getStartupFailure());
					}
					context.getBean(SessionManager.class);
					result[0] = "started";
				});
			return result[0];
		}

	}

}
