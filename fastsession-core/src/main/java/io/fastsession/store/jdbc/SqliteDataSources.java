package io.fastsession.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.fastsession.store.OwnerOnlyFiles;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	private static final Log logger = LogFactory.getLog(SqliteDataSources.class);

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
				OwnerOnlyFiles.createDirectories(file.getParent());
			}
			// SQLite gives its -wal and -shm files the database file's permissions, so an
			// owner-only database keeps all three owner-only.
			OwnerOnlyFiles.createFile(file);
			for (String suffix : new String[] { "", "-wal", "-shm" }) {
				Path part = file.resolveSibling(file.getFileName() + suffix);
				if (Files.exists(part) && OwnerOnlyFiles.restrict(part)) {
					logger.info("Made the SQLite session database file " + part + " owner-only (rw-------)");
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the session database " + file, ex);
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
