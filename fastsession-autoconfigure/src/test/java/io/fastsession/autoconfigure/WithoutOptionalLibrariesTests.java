package io.fastsession.autoconfigure;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import io.fastsession.SessionManager;
import org.junit.jupiter.api.Test;

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
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (OPTIONAL.stream().noneMatch(entry::contains)) {
				urls.add(new File(entry).toURI().toURL());
			}
		}
		try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
				ClassLoader.getPlatformClassLoader())) {
			assertThat(loader.getResource("net/spy/memcached/FailureMode.class")).isNull();
			assertThat(loader.getResource("org/springframework/jdbc/core/JdbcTemplate.class")).isNull();
			Class<?> probe = loader.loadClass(Probe.class.getName());
			Thread thread = Thread.currentThread();
			ClassLoader previous = thread.getContextClassLoader();
			thread.setContextClassLoader(loader);
			try {
				assertThat(probe.getMethod("start").invoke(null)).isEqualTo("started");
			}
			finally {
				thread.setContextClassLoader(previous);
			}
		}
	}

	/**
	 * Runs inside the stripped class loader.
	 */
	public static final class Probe {

		public static String start() {
			String[] result = new String[1];
			new ReactiveWebApplicationContextRunner()
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
