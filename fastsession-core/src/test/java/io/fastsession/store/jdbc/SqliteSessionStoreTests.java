package io.fastsession.store.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.fastsession.testing.TempPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteSessionStoreTests extends AbstractJdbcSessionStoreTests {

	static Path directory;

	static HikariDataSource pool;

	@BeforeAll
	static void createDatabase() throws IOException {
		directory = Files.createTempDirectory("fastsession-sqlite");
		pool = new HikariDataSource();
		pool.setDataSource(SqliteDataSources.forFile(directory.resolve("sessions.db"), Duration.ofSeconds(5)));
		pool.setMaximumPoolSize(4);
		JdbcSchema.migrate(pool, JdbcDialect.SQLITE, PREFIX);
	}

	@AfterAll
	static void closeDatabase() {
		pool.close();
		TempPaths.delete(directory);
	}

	@Override
	protected DataSource dataSource() {
		return pool;
	}

	/**
	 * With auto-commit off, SQLite's driver begins the next transaction as soon as one
	 * commits, and fastsession's SQLite data source begins them IMMEDIATE (taking the
	 * write lock): such a pool holds the lock while idle and no other writer can share
	 * the file. fastsession's SQLite provider always builds its own data source.
	 */
	@Override
	protected String autoCommitOffUnsupported() {
		return "an auto-commit-off pool holds SQLite's write lock while idle";
	}

	@Override
	protected JdbcDialect dialect() {
		return JdbcDialect.SQLITE;
	}

	@Override
	protected String trueLiteral() {
		return "1";
	}

	@Test
	void theDatabaseAndItsLogFilesAreOwnerOnly() throws IOException {
		new JdbcTemplate(pool).queryForObject("SELECT COUNT(*) FROM " + PREFIX + "sessions", Long.class);
		for (String name : List.of("sessions.db", "sessions.db-wal", "sessions.db-shm")) {
			Path file = directory.resolve(name);
			assertThat(file).exists();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(name)
				.isEqualTo("rw-------");
		}
	}

	@Test
	void databaseUsesWriteAheadLoggingAndForeignKeys() {
		JdbcTemplate jdbc = new JdbcTemplate(pool);
		assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualToIgnoringCase("wal");
		assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
	}

}
