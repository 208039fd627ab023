package io.fastsession.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.store.jdbc.JdbcDialect;
import io.fastsession.store.jdbc.JdbcSessionStore;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL providers' auto-configuration against real databases: the embedded SQLite file,
 * and PostgreSQL through a dedicated pool, the application's DataSource, or one marked
 * {@link FastSessionDataSource}.
 */
@ExtendWith(OutputCaptureExtension.class)
@NeedsServer
class JdbcStoreConfigurationTests {

	static TestDatabases.Isolated postgres;

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FastSessionAutoConfiguration.class));

	/** An application with spring-boot-starter-jdbc and Flyway of its own. */
	private final ReactiveWebApplicationContextRunner applicationWithDataSource = this.runner
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
		.withPropertyValues("spring.flyway.enabled=false");

	@BeforeAll
	static void createDatabase() {
		postgres = TestDatabases.postgres().isolate();
	}

	@AfterAll
	static void dropDatabase() {
		postgres.close();
	}

	@Test
	void sqliteProviderCreatesItsDatabaseFile(@TempDir Path directory) {
		Path file = directory.resolve("nested/sessions.db");
		this.runner.withPropertyValues("fastsession.provider=sqlite", "fastsession.sqlite.path=" + file)
			.run((context) -> {
				assertThat(context.getBean(JdbcSessionStore.class).getDialect()).isEqualTo(JdbcDialect.SQLITE);
				assertRoundTrip(context);
				assertThat(file).exists();
			});
	}

	@Test
	void sqliteProviderWithoutAPathSaysWhatToSet() {
		this.runner.withPropertyValues("fastsession.provider=sqlite")
			.run((context) -> assertThat(analyze(context).getAction()).contains("fastsession.sqlite.path"));
	}

	@Test
	void postgresWithAUrlGetsAPoolOfItsOwn() {
		this.runner.withPropertyValues(jdbcProperties("fastsession_")).run((context) -> {
			assertThat(context).doesNotHaveBean(DataSource.class);
			assertThat(context.getBean(JdbcSessionStore.class).getDialect()).isEqualTo(JdbcDialect.POSTGRES);
			assertRoundTrip(context);
		});
	}

	@Test
	void postgresUsesTheApplicationsDataSource() {
		this.applicationWithDataSource
			.withPropertyValues("fastsession.provider=postgres", "fastsession.jdbc.table-prefix=app_ds_",
					"spring.datasource.url=" + postgres.url(), "spring.datasource.username=" + postgres.server().user(),
					"spring.datasource.password=" + postgres.server().password())
			.run((context) -> {
				assertRoundTrip(context);
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_ds_sessions", Long.class)).isPositive();
			});
	}

	@Test
	void aDataSourceMarkedForSessionsWinsAmongSeveral() {
		this.runner.withUserConfiguration(TwoDataSources.class)
			.withPropertyValues("fastsession.provider=postgres", "fastsession.jdbc.table-prefix=marked_")
			.run((context) -> {
				assertRoundTrip(context);
				JdbcTemplate sessions = new JdbcTemplate(context.getBean("sessionDataSource", DataSource.class));
				assertThat(sessions.queryForObject("SELECT COUNT(*) FROM marked_sessions", Long.class)).isPositive();
			});
	}

	@Test
	void migrationsRunAfterTheApplicationsFlyway() {
		this.applicationWithDataSource
			.withPropertyValues("fastsession.provider=postgres", "fastsession.jdbc.table-prefix=together_",
					"spring.datasource.url=" + postgres.url(), "spring.datasource.username=" + postgres.server().user(),
					"spring.datasource.password=" + postgres.server().password(), "spring.flyway.enabled=true",
					"spring.flyway.locations=classpath:app/migration", "spring.flyway.baseline-on-migrate=true",
					"spring.flyway.baseline-version=0")
			.run((context) -> {
				assertRoundTrip(context);
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_orders", Long.class)).isZero();
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM together_schema_history", Long.class))
					.isPositive();
			});
	}

	@Test
	void initializeSchemaNeverLeavesTheDatabaseAlone() {
		this.runner.withPropertyValues(jdbcProperties("untouched_"))
			.withPropertyValues("fastsession.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcSessionStore.class);
				JdbcTemplate jdbc = new JdbcTemplate(postgres.dataSource());
				assertThat(jdbc.queryForObject(
						"SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE" + " 'untouched_%'",
						Long.class))
					.isZero();
			});
	}

	@Test
	void urlOfAnotherDatabaseIsAContradiction() {
		this.runner
			.withPropertyValues("fastsession.provider=postgres", "fastsession.jdbc.url=jdbc:mysql://127.0.0.1/test")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.jdbc.url"));
	}

	@Test
	void unsafeTablePrefixIsRefused() {
		this.runner.withPropertyValues(jdbcProperties("x; DROP TABLE users; --"))
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.jdbc.table-prefix"));
	}

	@Test
	void missingDriversAreNamed() {
		this.runner.withClassLoader(new FilteredClassLoader("org.postgresql"))
			.withPropertyValues("fastsession.provider=postgres")
			.run((context) -> assertThat(analyze(context).getAction()).contains("org.postgresql:postgresql"));
		this.runner.withClassLoader(new FilteredClassLoader("org.flywaydb.database.mysql", "com.mysql", "org.mariadb"))
			.withPropertyValues("fastsession.provider=mysql")
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("com.mysql:mysql-connector-j or org.mariadb.jdbc:mariadb-java-client")
				.contains("org.flywaydb:flyway-mysql"));
	}

	@Test
	void withoutMigrationsFlywayIsNotNeeded() {
		this.runner.withClassLoader(new FilteredClassLoader("org.flywaydb"))
			.withPropertyValues(jdbcProperties("no_flyway_"))
			.withPropertyValues("fastsession.jdbc.initialize-schema=never")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JdbcSessionStore.class));
		this.runner.withClassLoader(new FilteredClassLoader("org.flywaydb"))
			.withPropertyValues(jdbcProperties("no_flyway_"))
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("org.flywaydb:flyway-core, org.flywaydb:flyway-database-postgresql"));
	}

	@Test
	void everyLibraryADedicatedPoolNeedsIsNamedInOneReport() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.jdbc", "com.zaxxer", "org.flywaydb"))
			.withPropertyValues(jdbcProperties("missing_"))
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription())
					.contains("with fastsession.jdbc.url (a connection pool of its own)");
				assertThat(analysis.getAction())
					.contains("org.springframework:spring-jdbc, com.zaxxer:HikariCP, org.flywaydb:flyway-core,"
							+ " org.flywaydb:flyway-database-postgresql")
					.doesNotContain("spring-boot-starter-jdbc")
					.doesNotContain("org.postgresql:postgresql");
			});
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
			.withPropertyValues("fastsession.provider=postgres")
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("org.springframework.boot:spring-boot-starter-jdbc")
				.doesNotContain("HikariCP"));
	}

	@Test
	void unreachableDatabaseGivesAReportNotAStackTrace() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String url = "jdbc:postgresql://127.0.0.1:" + port + "/sessions?password=hunter2-secret";
		this.runner
			.withPropertyValues("fastsession.provider=postgres", "fastsession.jdbc.url=" + url,
					"fastsession.jdbc.username=app", "fastsession.jdbc.password=hunter2-secret")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription())
					.contains("could not create or check its session tables in postgres at 127.0.0.1:" + port
							+ "/sessions")
					.contains("refused")
					.doesNotContain("hunter2");
				assertThat(analysis.getAction()).contains("fastsession.jdbc.url")
					.contains("fastsession.jdbc.initialize-schema=never");
			});
	}

	@Test
	void sqliteFileThatCannotBeCreatedGivesAReport(@TempDir Path directory) throws Exception {
		Path file = java.nio.file.Files.createFile(directory.resolve("a-file"));
		this.runner
			.withPropertyValues("fastsession.provider=sqlite",
					"fastsession.sqlite.path=" + file.resolve("nested/sessions.db"))
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("fastsession.sqlite.path").contains("cannot be created");
				assertThat(analysis.getAction()).contains("fastsession.sqlite.path");
			});
	}

	@Test
	void startUpLogNamesTheDatabaseButNeverThePassword(CapturedOutput output) {
		this.runner.withPropertyValues(jdbcProperties("logged_"))
			.withPropertyValues("fastsession.jdbc.password=not-to-be-logged")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String url = postgres.url();
				String where = url.substring("jdbc:postgresql://".length(),
						url.contains("?") ? url.indexOf('?') : url.length());
				assertThat(output)
					.contains("fastsession: sessions are kept by the postgres provider, in postgres at " + where)
					.contains("tables logged_*")
					.contains(
							"fastsession: migrating its own tables (logged_*, Flyway history table logged_schema_history)")
					.doesNotContain("not-to-be-logged");
			});
	}

	private static String[] jdbcProperties(String prefix) {
		return new String[] { "fastsession.provider=postgres", "fastsession.jdbc.url=" + postgres.url(),
				"fastsession.jdbc.username=" + postgres.server().user(),
				"fastsession.jdbc.password=" + postgres.server().password(), "fastsession.jdbc.pool-size=3",
				"fastsession.jdbc.table-prefix=" + prefix };
	}

	private static void assertRoundTrip(AssertableReactiveWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		SessionManager manager = context.getBean(SessionManager.class);
		Session session = manager.createSession();
		session.set("user", "alice");
		String client = manager.commit(session).block().getClientValue();
		assertThat(manager.load(List.of(client)).block().get("user")).isEqualTo("alice");
	}

	private static FailureAnalysis analyze(AssertableReactiveWebApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FastSessionFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		DataSource applicationDataSource() {
			return new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/nowhere");
		}

		@Bean
		@FastSessionDataSource
		DataSource sessionDataSource() {
			return new DriverManagerDataSource(postgres.url(), postgres.server().user(), postgres.server().password());
		}

	}

}
