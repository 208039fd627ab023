package io.fastsession.store.jdbc;

import java.io.Closeable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

import io.fastsession.SessionStoreException;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL providers: a session row ({@code <prefix>sessions}) and one row per attribute
 * ({@code <prefix>session_attributes}, cascading from the session), on spring-jdbc.
 * <p>
 * Per request: a load is one query (the session joined with its attributes); a write is
 * one transaction that updates the session row, upserts the changed attributes and
 * deletes the removed ones. The update of the session row comes first: it locks the row,
 * so concurrent writers of one session queue behind each other and keep each other's
 * attributes, and when it finds no row (the session was deleted meanwhile) the
 * transaction ends without writing, so a logout cannot be undone by a request still in
 * flight.
 * <p>
 * JDBC blocks, so every call runs on a bounded scheduler sized to the connection pool,
 * never on the caller's thread. Expired sessions are deleted by {@link #removeExpired} in
 * batches, using the index on {@code expires_at}; several application instances can run
 * it at once.
 *
 * @author fastsession authors
 */
public final class JdbcSessionStore implements SessionStore, Closeable {

	private static final Log logger = LogFactory.getLog(JdbcSessionStore.class);

	private static final int DEADLOCK_RETRIES = 3;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final JdbcDialect dialect;

	private final Scheduler scheduler;

	private final boolean ownsScheduler;

	private final int cleanupBatchSize;

	private final int cleanupMaxBatches;

	private final @Nullable ReentrantLock writeLock;

	private final @Nullable Runnable onClose;

	private final String loadSql;

	private final String insertSessionSql;

	private final String insertAttributeSql;

	private final String updateSessionSql;

	private final String updateSessionAndPrincipalSql;

	private final String upsertAttributeSql;

	private final String deleteAttributeSql;

	private final String deleteAttributesSql;

	private final String deleteSessionSql;

	private final String countSql;

	private final String findByPrincipalSql;

	private final String deleteExpiredSql;

	private JdbcSessionStore(Builder builder) {
		this.dialect = builder.dialect;
		this.jdbc = new JdbcTemplate(builder.dataSource);
		if (builder.queryTimeout != null) {
			this.jdbc.setQueryTimeout((int) Math.max(1, (builder.queryTimeout.toMillis() + 999) / 1000));
		}
		DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(builder.dataSource);
		this.transactions = new TransactionTemplate(transactionManager);
		this.transactions.setIsolationLevel(this.dialect.getIsolation());
		if (builder.scheduler != null) {
			this.scheduler = builder.scheduler;
			this.ownsScheduler = false;
		}
		else {
			this.scheduler = Schedulers.newBoundedElastic(builder.threads, 10_000, "fastsession-jdbc");
			this.ownsScheduler = true;
		}
		this.cleanupBatchSize = builder.cleanupBatchSize;
		this.cleanupMaxBatches = builder.cleanupMaxBatches;
		this.writeLock = this.dialect.serializesWrites() ? new ReentrantLock() : null;
		this.onClose = builder.onClose;
		String sessions = builder.tablePrefix + "sessions";
		String attributes = builder.tablePrefix + "session_attributes";
		this.loadSql = "SELECT s.created_at, s.last_access_at, s.max_idle_ms, s.absolute_expiry_at, a.name, a.value,"
				+ " s.principal_name, s.max_idle_own" + " FROM " + sessions + " s LEFT JOIN " + attributes
				+ " a ON a.session_id = s.id WHERE s.id = ?";
		this.insertSessionSql = "INSERT INTO " + sessions + " (id, created_at, last_access_at, max_idle_ms,"
				+ " max_idle_own, absolute_expiry_at, expires_at, principal_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
		this.insertAttributeSql = "INSERT INTO " + attributes + " (session_id, name, value) VALUES (?, ?, ?)";
		this.updateSessionSql = updateSession(sessions, false);
		this.updateSessionAndPrincipalSql = updateSession(sessions, true);
		this.upsertAttributeSql = this.dialect.upsertAttribute(attributes);
		this.deleteAttributeSql = "DELETE FROM " + attributes + " WHERE session_id = ? AND name = ?";
		this.deleteAttributesSql = "DELETE FROM " + attributes + " WHERE session_id = ?";
		this.deleteSessionSql = "DELETE FROM " + sessions + " WHERE id = ?";
		this.countSql = "SELECT COUNT(*) FROM " + sessions;
		this.findByPrincipalSql = "SELECT id FROM " + sessions + " WHERE principal_name = ?";
		this.deleteExpiredSql = this.dialect.deleteExpired(sessions);
	}

	/**
	 * The update of a session row. The idle timeout that results is the delta's, unless
	 * the delta's is the configured default and the stored one is the session's own; the
	 * expiry follows from it and the stored absolute expiry. Every expression reads only
	 * columns this statement assigns later (or not at all), so MySQL, which evaluates
	 * assignments left to right with the new values, computes what PostgreSQL and SQLite
	 * do. Parameters: last access, own flag, idle timeout (three times for the expiry and
	 * the idle timeout), own flag, last access, [principal], key; see {@link #update}.
	 */
	private static String updateSession(String sessions, boolean principal) {
		String idle = "(CASE WHEN ? = 1 OR max_idle_own = 0 THEN ? ELSE max_idle_ms END)";
		return "UPDATE " + sessions + " SET expires_at = CASE WHEN absolute_expiry_at IS NOT NULL"
				+ " AND absolute_expiry_at < ? + " + idle + " THEN absolute_expiry_at ELSE ? + " + idle + " END,"
				+ " max_idle_ms = " + idle + ", max_idle_own = CASE WHEN ? = 1 THEN 1 ELSE max_idle_own END,"
				+ " last_access_at = ?" + (principal ? ", principal_name = ?" : "") + " WHERE id = ?";
	}

	/**
	 * Start building a store.
	 * @param dataSource the database, with fastsession's tables (see {@link JdbcSchema})
	 * @param dialect its dialect
	 * @return a builder
	 */
	public static Builder builder(DataSource dataSource, JdbcDialect dialect) {
		return new Builder(dataSource, dialect);
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		return io(() -> {
			LoadedRow row = this.jdbc.query(this.loadSql, (ps) -> ps.setString(1, key), this::readSession);
			if (row == null) {
				return null;
			}
			try {
				return row.toRecord();
			}
			catch (IllegalArgumentException | DateTimeException ex) {
				logger.warn("Dropped unreadable SQL session " + SessionKeys.describe(key) + ": " + ex.getMessage());
				write(() -> inTransaction(() -> this.jdbc.update(this.deleteSessionSql, key)));
				return null;
			}
		});
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		return io(() -> write(() -> inTransaction(() -> {
			this.jdbc.update(this.deleteSessionSql, key);
			this.jdbc.update(this.insertSessionSql, (ps) -> {
				ps.setString(1, key);
				ps.setLong(2, record.getCreationTime().toEpochMilli());
				ps.setLong(3, record.getLastAccessTime().toEpochMilli());
				ps.setLong(4, record.getMaxIdleTime().toMillis());
				ps.setInt(5, record.isMaxIdleTimeOverridden() ? 1 : 0);
				if (record.getAbsoluteExpiry() != null) {
					ps.setLong(6, record.getAbsoluteExpiry().toEpochMilli());
				}
				else {
					ps.setNull(6, Types.BIGINT);
				}
				ps.setLong(7, record.getExpiresAt().toEpochMilli());
				ps.setString(8, record.getPrincipal());
			});
			putAttributes(this.insertAttributeSql, key, record.getAttributes());
			return Boolean.TRUE;
		}))).then();
	}

	@Override
	public Mono<Boolean> update(String key, SessionDelta delta) {
		return io(() -> write(() -> inTransaction(() -> {
			boolean principal = delta.isPrincipalChanged();
			int updated = this.jdbc.update(principal ? this.updateSessionAndPrincipalSql : this.updateSessionSql,
					(ps) -> {
						long lastAccess = delta.getLastAccessTime().toEpochMilli();
						int own = delta.isMaxIdleTimeOverride() ? 1 : 0;
						long idle = delta.getMaxIdleTime().toMillis();
						int index = 0;
						for (int i = 0; i < 3; i++) {
							if (i < 2) {
								ps.setLong(++index, lastAccess);
							}
							ps.setInt(++index, own);
							ps.setLong(++index, idle);
						}
						ps.setInt(++index, own);
						ps.setLong(++index, lastAccess);
						if (principal) {
							ps.setString(++index, delta.getPrincipal());
						}
						ps.setString(++index, key);
					});
			if (updated == 0) {
				return false;
			}
			if (delta.isClearAll()) {
				this.jdbc.update(this.deleteAttributesSql, key);
			}
			if (!delta.getRemoved().isEmpty()) {
				List<Object[]> names = new ArrayList<>(delta.getRemoved().size());
				delta.getRemoved().forEach((name) -> names.add(new Object[] { key, name }));
				this.jdbc.batchUpdate(this.deleteAttributeSql, names);
			}
			putAttributes(this.upsertAttributeSql, key, delta.getChanged());
			return true;
		})));
	}

	@Override
	public Mono<Boolean> delete(String key) {
		return io(() -> write(() -> inTransaction(() -> this.jdbc.update(this.deleteSessionSql, key) > 0)));
	}

	@Override
	public Flux<String> findByPrincipal(String principal) {
		return io(() -> this.jdbc.queryForList(this.findByPrincipalSql, String.class, principal))
			.flatMapMany(Flux::fromIterable);
	}

	@Override
	public Mono<Long> count() {
		return io(() -> this.jdbc.queryForObject(this.countSql, Long.class));
	}

	/**
	 * Delete expired sessions in batches of {@code cleanupBatchSize} rows, at most
	 * {@code cleanupMaxBatches} batches per call, oldest first.
	 */
	@Override
	public Mono<Long> removeExpired(Instant now) {
		return io(() -> {
			long removed = 0;
			for (int batch = 0; batch < this.cleanupMaxBatches; batch++) {
				int deleted = write(() -> inTransaction(
						() -> this.jdbc.update(this.deleteExpiredSql, now.toEpochMilli(), this.cleanupBatchSize)));
				removed += deleted;
				if (deleted < this.cleanupBatchSize) {
					break;
				}
			}
			return removed;
		});
	}

	private void putAttributes(String sql, String key, Map<String, byte[]> attributes) {
		if (attributes.isEmpty()) {
			return;
		}
		List<Map.Entry<String, byte[]>> entries = new ArrayList<>(attributes.entrySet());
		this.jdbc.batchUpdate(sql, entries, entries.size(), (PreparedStatement ps, Map.Entry<String, byte[]> entry) -> {
			ps.setString(1, key);
			ps.setString(2, entry.getKey());
			ps.setBytes(3, entry.getValue());
		});
	}

	private @Nullable LoadedRow readSession(ResultSet rs) throws SQLException {
		LoadedRow row = null;
		while (rs.next()) {
			if (row == null) {
				long absolute = rs.getLong(4);
				Long absoluteExpiry = rs.wasNull() ? null : absolute;
				row = new LoadedRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(8) == 1, absoluteExpiry,
						rs.getString(7));
			}
			String name = rs.getString(5);
			if (name != null) {
				row.attributes.put(name, rs.getBytes(6));
			}
		}
		return row;
	}

	/**
	 * Run a transaction, again when the database picked it as a deadlock victim.
	 */
	private <T> T inTransaction(Callable<T> work) {
		for (int attempt = 1;; attempt++) {
			try {
				return Objects.requireNonNull(this.transactions.execute((status) -> {
					try {
						return work.call();
					}
					catch (RuntimeException ex) {
						throw ex;
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}));
			}
			catch (PessimisticLockingFailureException ex) {
				if (attempt >= DEADLOCK_RETRIES) {
					throw ex;
				}
			}
		}
	}

	/**
	 * Run a write, one at a time in this process for databases with a single writer.
	 */
	private <T> T write(Callable<T> work) throws Exception {
		if (this.writeLock == null) {
			return work.call();
		}
		this.writeLock.lock();
		try {
			return work.call();
		}
		finally {
			this.writeLock.unlock();
		}
	}

	private <T> Mono<T> io(Callable<@Nullable T> work) {
		return Mono.fromCallable(work)
			.subscribeOn(this.scheduler)
			.onErrorMap((ex) -> !(ex instanceof SessionStoreException),
					(ex) -> new SessionStoreException("SQL session store failed: " + ex.getMessage(), ex));
	}

	public JdbcDialect getDialect() {
		return this.dialect;
	}

	@Override
	public void close() {
		if (this.ownsScheduler) {
			this.scheduler.dispose();
		}
		if (this.onClose != null) {
			this.onClose.run();
		}
	}

	@Override
	public String toString() {
		return "JdbcSessionStore[" + this.dialect.getId() + "]";
	}

	/**
	 * A session row and its attribute rows, before validation.
	 */
	private static final class LoadedRow {

		final long createdAt;

		final long lastAccessAt;

		final long maxIdleMs;

		final boolean ownMaxIdle;

		final @Nullable Long absoluteExpiryAt;

		final @Nullable String principal;

		final Map<String, byte[]> attributes = new LinkedHashMap<>();

		LoadedRow(long createdAt, long lastAccessAt, long maxIdleMs, boolean ownMaxIdle,
				@Nullable Long absoluteExpiryAt, @Nullable String principal) {
			this.principal = principal;
			this.createdAt = createdAt;
			this.lastAccessAt = lastAccessAt;
			this.maxIdleMs = maxIdleMs;
			this.ownMaxIdle = ownMaxIdle;
			this.absoluteExpiryAt = absoluteExpiryAt;
		}

		SessionRecord toRecord() {
			return new SessionRecord(Instant.ofEpochMilli(this.createdAt), Instant.ofEpochMilli(this.lastAccessAt),
					Duration.ofMillis(this.maxIdleMs), this.ownMaxIdle,
					(this.absoluteExpiryAt != null) ? Instant.ofEpochMilli(this.absoluteExpiryAt) : null,
					this.attributes, this.principal);
		}

	}

	/**
	 * Builds a {@link JdbcSessionStore}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private final JdbcDialect dialect;

		private String tablePrefix = JdbcSchema.DEFAULT_TABLE_PREFIX;

		private @Nullable Scheduler scheduler;

		private int threads = 10;

		private @Nullable Duration queryTimeout;

		private int cleanupBatchSize = 500;

		private int cleanupMaxBatches = 20;

		private @Nullable Runnable onClose;

		private Builder(DataSource dataSource, JdbcDialect dialect) {
			this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
			this.dialect = Objects.requireNonNull(dialect, "dialect");
		}

		/**
		 * Set the prefix of the table names; default
		 * {@value JdbcSchema#DEFAULT_TABLE_PREFIX}.
		 * @param tablePrefix the prefix
		 * @return this builder
		 */
		public Builder tablePrefix(String tablePrefix) {
			JdbcSchema.checkTablePrefix(tablePrefix);
			this.tablePrefix = tablePrefix;
			return this;
		}

		/**
		 * Set the number of threads of the store's own scheduler; match it to the
		 * connection pool. Default 10.
		 * @param threads the number of threads
		 * @return this builder
		 */
		public Builder threads(int threads) {
			if (threads <= 0) {
				throw new IllegalArgumentException("threads must be positive");
			}
			this.threads = threads;
			return this;
		}

		/**
		 * Use a scheduler of the caller's instead of the store's own.
		 * @param scheduler a bounded scheduler for blocking work
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = scheduler;
			return this;
		}

		/**
		 * Set the JDBC query timeout (rounded up to whole seconds), so that a slow
		 * database frees the store's threads; default none.
		 * @param queryTimeout the timeout
		 * @return this builder
		 */
		public Builder queryTimeout(@Nullable Duration queryTimeout) {
			this.queryTimeout = queryTimeout;
			return this;
		}

		/**
		 * Set how many expired sessions one cleanup statement deletes, and how many such
		 * statements one cleanup run issues at most; default 500 and 20.
		 * @param batchSize rows per statement
		 * @param maxBatches statements per run
		 * @return this builder
		 */
		public Builder cleanup(int batchSize, int maxBatches) {
			if (batchSize <= 0 || maxBatches <= 0) {
				throw new IllegalArgumentException("cleanup batch size and count must be positive");
			}
			this.cleanupBatchSize = batchSize;
			this.cleanupMaxBatches = maxBatches;
			return this;
		}

		/**
		 * Run something when the store is closed, such as closing a connection pool that
		 * belongs to it.
		 * @param onClose the action
		 * @return this builder
		 */
		public Builder onClose(Runnable onClose) {
			this.onClose = onClose;
			return this;
		}

		public JdbcSessionStore build() {
			return new JdbcSessionStore(this);
		}

	}

}
