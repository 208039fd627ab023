package io.fastsession.store.jdbc;

import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and evolves fastsession's tables with Flyway, using the dialect's migrations
 * and a history table of their own ({@code <prefix>schema_history}), so they never
 * collide with the application's own Flyway migrations in the same schema.
 *
 * @author fastsession authors
 */
public final class JdbcSchema {

	/** Default prefix of fastsession's table names. */
	public static final String DEFAULT_TABLE_PREFIX = "fastsession_";

	private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,29}");

	private JdbcSchema() {
	}

	/**
	 * Apply any pending migration. Safe to call on every start-up and from several
	 * instances at once (Flyway locks its history table).
	 * @param dataSource the database
	 * @param dialect its dialect
	 * @param tablePrefix prefix of the table names
	 * @return how many migrations were applied
	 */
	public static int migrate(DataSource dataSource, JdbcDialect dialect, String tablePrefix) {
		checkTablePrefix(tablePrefix);
		MigrateResult result = Flyway.configure(JdbcSchema.class.getClassLoader())
			.dataSource(dataSource)
			.locations(dialect.getMigrationLocation())
			.table(tablePrefix + "schema_history")
			.placeholders(Map.of("table_prefix", tablePrefix))
			// A schema that already holds the application's tables is normal: start our
			// own
			// history below V1 instead of refusing.
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load()
			.migrate();
		return result.migrationsExecuted;
	}

	/**
	 * Check that a table prefix is safe to put into SQL: a letter or underscore, then
	 * letters, digits and underscores, 30 characters at most.
	 * @param tablePrefix the prefix
	 * @throws IllegalArgumentException if it is not
	 */
	public static void checkTablePrefix(String tablePrefix) {
		if (!TABLE_PREFIX.matcher(tablePrefix).matches()) {
			throw new IllegalArgumentException("Table prefix '" + tablePrefix
					+ "' must be a letter or underscore followed by letters, digits or underscores (30 at most)");
		}
	}

}
