package io.fastsession.store.jdbc;

import javax.sql.DataSource;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on MySQL or MariaDB through the URL given to the tests (the MariaDB driver
 * with {@code jdbc:mariadb:} URLs here).
 */
@NeedsServer
class MysqlSessionStoreTests extends AbstractJdbcSessionStoreTests {

	static TestDatabases.Isolated database;

	@BeforeAll
	static void createDatabase() {
		database = TestDatabases.mysql().isolate();
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
