package io.fastsession.autoconfigure.security;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

@NeedsServer
class PostgresSecurityTests extends AbstractSecurityTests {

	static TestDatabases.Isolated database;

	@BeforeAll
	static void createDatabase() {
		database = TestDatabases.postgres().isolate();
	}

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@Override
	String[] providerProperties() {
		return new String[] { "fastsession.provider=postgres", "fastsession.jdbc.url=" + database.url(),
				"fastsession.jdbc.username=" + database.server().user(),
				"fastsession.jdbc.password=" + database.server().password(),
				// The application also has spring-boot-starter-jdbc on the test
				// classpath.
				"spring.datasource.url=" + database.url(), "spring.datasource.username=" + database.server().user(),
				"spring.datasource.password=" + database.server().password(), "spring.flyway.enabled=false" };
	}

}
