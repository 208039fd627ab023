package io.fastsession.store.jdbc;

import javax.sql.DataSource;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

@NeedsServer
class PostgresSessionStoreTests extends AbstractJdbcSessionStoreTests {

	static TestDatabases.Isolated database;

	@BeforeAll
	static void createDatabase() {
		database = TestDatabases.postgres().isolate();
		JdbcSchema.migrate(database.dataSource(), JdbcDialect.POSTGRES, PREFIX);
	}

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@Override
	protected DataSource dataSource() {
		return database.dataSource();
	}

	@Override
	protected JdbcDialect dialect() {
		return JdbcDialect.POSTGRES;
	}

}
