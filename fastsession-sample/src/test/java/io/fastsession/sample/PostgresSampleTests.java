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

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "fastsession.provider=postgres")
@NeedsServer
class PostgresSampleTests extends SampleContractTests {

	static final TestDatabases.Isolated database = TestDatabases.postgres().isolate();

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

	@Override
	void damage(String key, StoredSessionDamage damage) {
		damage.applyToSql(
				new DriverManagerDataSource(database.url(), database.server().user(), database.server().password()),
				"fastsession_", key, "user");
	}

	@Test
	void runsOnPostgres() {
		assertThat(this.store.getDialect()).isEqualTo(JdbcDialect.POSTGRES);
	}

}
