package io.fastsession.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real databases for the SQL tests: the servers named by environment variables (set by
 * {@code ./test.sh}), or Testcontainers on a machine with Docker. Each test class works
 * in a schema (PostgreSQL) or database (MySQL/MariaDB) of its own, created here and
 * dropped by {@link Isolated#close()}.
 */
public final class TestDatabases {

	public static final String POSTGRES_URL = "FASTSESSION_TEST_POSTGRES_URL";

	public static final String POSTGRES_USER = "FASTSESSION_TEST_POSTGRES_USER";

	public static final String POSTGRES_PASSWORD = "FASTSESSION_TEST_POSTGRES_PASSWORD";

	public static final String MYSQL_URL = "FASTSESSION_TEST_MYSQL_URL";

	public static final String MYSQL_USER = "FASTSESSION_TEST_MYSQL_USER";

	public static final String MYSQL_PASSWORD = "FASTSESSION_TEST_MYSQL_PASSWORD";

	private static final Map<String, JdbcDatabaseContainer<?>> containers = new ConcurrentHashMap<>();

	private TestDatabases() {
	}

	/**
	 * Return the PostgreSQL server.
	 * @return its URL and credentials
	 */
	public static Server postgres() {
		String url = System.getenv(POSTGRES_URL);
		if (url != null && !url.isBlank()) {
			return new Server(url, env(POSTGRES_USER, "postgres"), env(POSTGRES_PASSWORD, ""));
		}
		if (dockerAvailable()) {
			JdbcDatabaseContainer<?> container = containers.computeIfAbsent("postgres", (name) -> {
				PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");
				postgres.start();
				return postgres;
			});
			return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
		}
		throw missing(POSTGRES_URL, "jdbc:postgresql://127.0.0.1:5432/test");
	}

	/**
	 * Return the MySQL or MariaDB server.
	 * @return its URL and credentials
	 */
	public static Server mysql() {
		String url = System.getenv(MYSQL_URL);
		if (url != null && !url.isBlank()) {
			return new Server(url, env(MYSQL_USER, "root"), env(MYSQL_PASSWORD, ""));
		}
		if (dockerAvailable()) {
			JdbcDatabaseContainer<?> container = containers.computeIfAbsent("mysql", (name) -> {
				MySQLContainer mysql = new MySQLContainer("mysql:8.4").withUsername("root").withPassword("test");
				mysql.start();
				return mysql;
			});
			return new Server(container.getJdbcUrl(), "root", "test");
		}
		throw missing(MYSQL_URL, "jdbc:mariadb://127.0.0.1:3306/test");
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | NoClassDefFoundError ex) {
			return false;
		}
	}

	private static IllegalStateException missing(String variable, String example) {
		return new IllegalStateException("No test database: set " + variable + " (for example " + example
				+ "), run on a machine with Docker, or run the tests with ./test.sh, which provides every server they"
				+ " need. ./mvnw -Dquick verify runs only the tests that need none.");
	}

	/**
	 * A database server.
	 *
	 * @param url its JDBC URL (any database on it)
	 * @param user the user
	 * @param password the password
	 */
	public record Server(String url, String user, String password) {

		public boolean isPostgres() {
			return this.url.startsWith("jdbc:postgresql:");
		}

		/**
		 * Create a schema (PostgreSQL) or database (MySQL) of its own and return a pooled
		 * data source on it.
		 * @return the isolated database
		 */
		public Isolated isolate() {
			String name = "fs_"
					+ UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
			execute(pool(this.url, 1), isPostgres() ? "CREATE SCHEMA " + name : "CREATE DATABASE " + name, true);
			String isolatedUrl = isPostgres() ? withParameter(this.url, "currentSchema", name)
					: withDatabase(this.url, name);
			return new Isolated(this, name, pool(isolatedUrl, 10), isolatedUrl);
		}

		HikariDataSource pool(String jdbcUrl, int size) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(jdbcUrl);
			dataSource.setUsername(this.user);
			dataSource.setPassword(this.password);
			dataSource.setMaximumPoolSize(size);
			dataSource.setMinimumIdle(0);
			return dataSource;
		}

		private static String withParameter(String url, String name, String value) {
			return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
		}

		private static String withDatabase(String url, String database) {
			int hostStart = url.indexOf("//") + 2;
			int pathStart = url.indexOf('/', hostStart);
			int query = url.indexOf('?');
			String base = url.substring(0, (pathStart > 0) ? pathStart : ((query > 0) ? query : url.length()));
			String params = (query > 0) ? url.substring(query) : "";
			return base + "/" + database + params;
		}

	}

	/**
	 * A schema or database owned by one test class.
	 *
	 * @param server the server it lives on
	 * @param name its name
	 * @param dataSource a pool on it
	 * @param url its JDBC URL
	 */
	public record Isolated(Server server, String name, HikariDataSource dataSource,
			String url) implements AutoCloseable {

		@Override
		public void close() {
			this.dataSource.close();
			execute(this.server.pool(this.server.url(), 1),
					this.server.isPostgres() ? "DROP SCHEMA " + this.name + " CASCADE" : "DROP DATABASE " + this.name,
					true);
		}

	}

	static void execute(DataSource dataSource, String sql, boolean closeAfter) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed: " + sql, ex);
		}
		finally {
			if (closeAfter && dataSource instanceof HikariDataSource hikari) {
				hikari.close();
			}
		}
	}

}
