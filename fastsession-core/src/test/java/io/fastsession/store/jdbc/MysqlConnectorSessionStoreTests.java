package io.fastsession.store.jdbc;

import javax.sql.DataSource;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract through MySQL Connector/J ({@code jdbc:mysql:} URLs), against the same
 * server as {@link MysqlSessionStoreTests}: the mysql provider must work with either
 * driver.
 */
@NeedsServer
class MysqlConnectorSessionStoreTests extends AbstractJdbcSessionStoreTests {

	static TestDatabases.Isolated database;

	@BeforeAll
	static void createDatabase() {
		TestDatabases.Server server = TestDatabases.mysql();
		String url = server.url().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
		database = new TestDatabases.Server(url, server.user(), server.password()).isolate();
		JdbcSchema.migrate(database.dataSource(), JdbcDialect.MYSQL, PREFIX);
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
		return JdbcDialect.MYSQL;
	}

	@Override
	protected String trueLiteral() {
		return "1";
	}

}
