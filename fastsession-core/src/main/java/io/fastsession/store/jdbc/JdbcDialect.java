package io.fastsession.store.jdbc;

import org.springframework.transaction.TransactionDefinition;

/**
 * The few statements and settings that differ between the supported databases.
 *
 * @author fastsession authors
 */
public enum JdbcDialect {

	/** PostgreSQL 12 and later. */
	POSTGRES("postgres", TransactionDefinition.ISOLATION_READ_COMMITTED, false) {

		@Override
		String upsertAttribute(String attributes) {
			return "INSERT INTO " + attributes + " (session_id, name, value) VALUES (?, ?, ?)"
					+ " ON CONFLICT (session_id, name) DO UPDATE SET value = EXCLUDED.value";
		}

		@Override
		String deleteExpired(String sessions) {
			// SKIP LOCKED: instances sweeping at the same time take different rows.
			return "DELETE FROM " + sessions + " WHERE id IN (SELECT id FROM " + sessions
					+ " WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)";
		}

	},

	/** MySQL 8 and MariaDB 10.6 and later (InnoDB). */
	MYSQL("mysql", TransactionDefinition.ISOLATION_READ_COMMITTED, false) {

		@Override
		String upsertAttribute(String attributes) {
			// VALUES() rather than a row alias: MariaDB does not support the alias
			// syntax.
			return "INSERT INTO " + attributes + " (session_id, name, value) VALUES (?, ?, ?)"
					+ " ON DUPLICATE KEY UPDATE value = VALUES(value)";
		}

		@Override
		String deleteExpired(String sessions) {
			return "DELETE FROM " + sessions + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?";
		}

	},

	/** SQLite 3.24 and later, as an embedded file database. */
	SQLITE("sqlite", TransactionDefinition.ISOLATION_DEFAULT, true) {

		@Override
		String upsertAttribute(String attributes) {
			return "INSERT INTO " + attributes + " (session_id, name, value) VALUES (?, ?, ?)"
					+ " ON CONFLICT (session_id, name) DO UPDATE SET value = excluded.value";
		}

		@Override
		String deleteExpired(String sessions) {
			return "DELETE FROM " + sessions + " WHERE id IN (SELECT id FROM " + sessions
					+ " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)";
		}

	};

	private final String id;

	private final int isolation;

	private final boolean serializesWrites;

	JdbcDialect(String id, int isolation, boolean serializesWrites) {
		this.id = id;
		this.isolation = isolation;
		this.serializesWrites = serializesWrites;
	}

	/**
	 * Insert an attribute or replace its value: parameters session id, name, value.
	 */
	abstract String upsertAttribute(String attributes);

	/**
	 * Delete at most a number of expired sessions: parameters now (epoch ms), limit.
	 */
	abstract String deleteExpired(String sessions);

	/**
	 * Return the Flyway location of this dialect's migrations.
	 * @return a {@code classpath:} location
	 */
	public String getMigrationLocation() {
		return "classpath:io/fastsession/store/jdbc/migration/" + this.id;
	}

	int getIsolation() {
		return this.isolation;
	}

	/**
	 * Whether writes must be serialized in this process: SQLite has one writer at a time.
	 */
	boolean serializesWrites() {
		return this.serializesWrites;
	}

	public String getId() {
		return this.id;
	}

}
