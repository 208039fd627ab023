package io.fastsession.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Configures the embedded SQLite database of the sqlite provider: write-ahead logging
 * (readers never wait for the writer), a busy timeout instead of immediate "database is
 * locked" errors, foreign keys enforced (attributes cascade with their session), and
 * write transactions that take the write lock when they begin.
 *
 * @author fastsession authors
 */
public final class SqliteDataSources {

	private SqliteDataSources() {
	}

	/**
	 * Return an (unpooled) data source for a database file, creating its directory if
	 * needed.
	 * @param path the database file
	 * @param busyTimeout how long a connection waits for the write lock
	 * @return the data source
	 */
	public static SQLiteDataSource forFile(Path path, Duration busyTimeout) {
		Path file = path.toAbsolutePath().normalize();
		try {
			if (file.getParent() != null) {
				Files.createDirectories(file.getParent());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the directory of " + file, ex);
		}
		SQLiteConfig config = new SQLiteConfig();
		config.setJournalMode(SQLiteConfig.JournalMode.WAL);
		config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
		config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
		config.enforceForeignKeys(true);
		config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
		SQLiteDataSource dataSource = new SQLiteDataSource(config);
		dataSource.setUrl("jdbc:sqlite:" + file);
		return dataSource;
	}

}
