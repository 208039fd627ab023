package io.fastsession.sample;

import io.fastsession.store.jdbc.JdbcDialect;
import io.fastsession.store.jdbc.JdbcSessionStore;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample on MySQL/MariaDB through a {@code jdbc:mysql:} URL, as in the README's
 * flags.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "fastsession.provider=mysql")
@NeedsServer
class MysqlSampleTests extends SampleContractTests {

	static final TestDatabases.Isolated database = mysqlUrl().isolate();

	@Autowired
	JdbcSessionStore store;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("fastsession.jdbc.url", database::url);
		registry.add("fastsession.jdbc.username", () -> database.server().user());
		registry.add("fastsession.jdbc.password", () -> database.server().password());
	}

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	private static TestDatabases.Server mysqlUrl() {
		TestDatabases.Server server = TestDatabases.mysql();
		return new TestDatabases.Server(server.url().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:"), server.user(),
				server.password());
	}

	@Override
	void damage(String key, StoredSessionDamage damage) {
		damage.applyToSql(
				new DriverManagerDataSource(database.url(), database.server().user(), database.server().password()),
				"fastsession_", key, "user");
	}

	@Test
	void runsOnMysql() {
		assertThat(this.store.getDialect()).isEqualTo(JdbcDialect.MYSQL);
	}

}
