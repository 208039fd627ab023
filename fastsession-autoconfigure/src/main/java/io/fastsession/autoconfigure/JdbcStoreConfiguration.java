package io.fastsession.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.fastsession.autoconfigure.FastSessionProperties.Provider;
import io.fastsession.store.SessionStore;
import io.fastsession.store.jdbc.JdbcDialect;
import io.fastsession.store.jdbc.JdbcSchema;
import io.fastsession.store.jdbc.JdbcSessionStore;
import io.fastsession.store.jdbc.SqliteDataSources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.ClassUtils;

/**
 * The SQL providers: picks the data source (a dedicated pool from
 * {@code fastsession.jdbc.url}, the embedded SQLite file, or the application's
 * {@link DataSource}), migrates the schema (unless told not to: then Flyway need not be
 * on the classpath) and builds the store.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnMissingBean(SessionStore.class)
@ConditionalOnSessionProvider({ Provider.POSTGRES, Provider.MYSQL, Provider.SQLITE })
class JdbcStoreConfiguration {

	private static final Log logger = LogFactory.getLog(JdbcStoreConfiguration.class);

	private static final String HIKARI = "com.zaxxer.hikari.HikariDataSource";

	@Bean
	@DependsOnDatabaseInitialization
	JdbcSessionStore fastSessionStore(FastSessionProperties properties, ObjectProvider<DataSource> dataSources,
			@FastSessionDataSource ObjectProvider<DataSource> sessionDataSource) {
		JdbcDialect dialect = switch (properties.getProvider()) {
			case POSTGRES -> JdbcDialect.POSTGRES;
			case MYSQL -> JdbcDialect.MYSQL;
			default -> JdbcDialect.SQLITE;
		};
		FastSessionProperties.Jdbc jdbc = properties.getJdbc();
		String tablePrefix = jdbc.getTablePrefix();
		try {
			JdbcSchema.checkTablePrefix(tablePrefix);
		}
		catch (IllegalArgumentException ex) {
			throw FastSessionStartupException.invalidProperty("fastsession.jdbc.table-prefix", tablePrefix,
					ex.getMessage(), "Use letters, digits and underscores only, such as 'fastsession_'.");
		}
		Pool pool = (dialect == JdbcDialect.SQLITE) ? sqlitePool(properties) : (jdbc.getUrl() != null)
				? dedicatedPool(properties, dialect) : applicationDataSource(dataSources, sessionDataSource, dialect);
		try {
			if (jdbc.getInitializeSchema() == FastSessionProperties.InitializeSchema.ALWAYS) {
				migrate(pool, dialect, tablePrefix);
			}
			JdbcSessionStore store = JdbcSessionStore.builder(pool.dataSource(), dialect)
				.tablePrefix(tablePrefix)
				.threads(pool.size())
				.queryTimeout(properties.getStoreTimeout())
				.onClose(pool.onClose())
				.build();
			StartupLog.storeReady(properties.getProvider(),
					pool.where() + ", tables " + tablePrefix + "*, " + pool.size() + " connections");
			return store;
		}
		catch (RuntimeException ex) {
			pool.onClose().run();
			throw ex;
		}
	}

	/**
	 * Run fastsession's own migrations, saying around Flyway's lines that they are about
	 * fastsession's tables: an application with Flyway of its own logs the same lines for
	 * its schema.
	 */
	private static void migrate(Pool pool, JdbcDialect dialect, String tablePrefix) {
		String history = tablePrefix + "schema_history";
		if (logger.isInfoEnabled()) {
			logger.info("fastsession: migrating its own tables (" + tablePrefix + "*, Flyway history table " + history
					+ ") in " + pool.where() + "; the Flyway lines below are about fastsession's schema");
		}
		int applied;
		try {
			applied = JdbcSchema.migrate(pool.dataSource(), dialect, tablePrefix);
		}
		catch (RuntimeException ex) {
			throw FastSessionStartupException.schemaFailed(pool.where(), pool.settings(), ex);
		}
		if (logger.isInfoEnabled()) {
			logger.info("fastsession: session tables up to date (" + applied + " migration"
					+ ((applied != 1) ? "s" : "") + " applied, history in " + history + ")");
		}
	}

	private static Pool sqlitePool(FastSessionProperties properties) {
		Path path = properties.getSqlite().getPath();
		if (path == null) {
			throw FastSessionStartupException.missingProperty("fastsession.sqlite.path",
					"the sqlite provider keeps sessions in a database file",
					"Set fastsession.sqlite.path to a file, for example --fastsession.sqlite.path=/var/lib/myapp/sessions.db"
							+ " (created if missing).");
		}
		Path file = path.toAbsolutePath().normalize();
		javax.sql.DataSource sqlite;
		try {
			sqlite = SqliteDataSources.forFile(file, properties.getSqlite().getBusyTimeout());
		}
		catch (RuntimeException ex) {
			throw FastSessionStartupException.unusablePath("fastsession.sqlite.path", file, ex);
		}
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName("fastsession-sqlite");
		pool.setDataSource(sqlite);
		pool.setMaximumPoolSize(properties.getSqlite().getPoolSize());
		pool.setConnectionTimeout(connectionTimeout(properties));
		return new Pool(pool, properties.getSqlite().getPoolSize(), pool::close, "SQLite file " + file,
				"fastsession.sqlite.path");
	}

	private static Pool dedicatedPool(FastSessionProperties properties, JdbcDialect dialect) {
		FastSessionProperties.Jdbc jdbc = properties.getJdbc();
		String url = jdbc.getUrl();
		List<String> prefixes = (dialect == JdbcDialect.POSTGRES) ? List.of("jdbc:postgresql:")
				: List.of("jdbc:mysql:", "jdbc:mariadb:");
		if (prefixes.stream().noneMatch(url::startsWith)) {
			throw FastSessionStartupException.invalidProperty("fastsession.jdbc.url", url,
					"it is not a URL for fastsession.provider=" + dialect.getId(),
					"Use a URL starting with " + String.join(" or ", prefixes) + ", or change fastsession.provider.");
		}
		if (jdbc.getPoolSize() <= 0) {
			throw FastSessionStartupException.invalidProperty("fastsession.jdbc.pool-size", jdbc.getPoolSize(),
					"it must be positive", "Set fastsession.jdbc.pool-size to the connections sessions may use.");
		}
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName("fastsession");
		pool.setJdbcUrl(url);
		pool.setUsername(jdbc.getUsername());
		pool.setPassword(jdbc.getPassword());
		pool.setMaximumPoolSize(jdbc.getPoolSize());
		pool.setConnectionTimeout(connectionTimeout(properties));
		return new Pool(pool, jdbc.getPoolSize(), pool::close,
				dialect.getId() + " at " + JdbcUrls.describe(url) + " (a pool of its own)",
				"fastsession.jdbc.url, fastsession.jdbc.username and fastsession.jdbc.password");
	}

	private static Pool applicationDataSource(ObjectProvider<DataSource> dataSources,
			ObjectProvider<DataSource> sessionDataSource, JdbcDialect dialect) {
		DataSource dataSource = sessionDataSource.getIfAvailable();
		if (dataSource == null) {
			dataSource = dataSources.getIfUnique();
		}
		if (dataSource == null) {
			throw new FastSessionStartupException(
					"The SQL session providers need a database, but fastsession.jdbc.url is not set and there is no"
							+ " single DataSource bean.",
					"Set fastsession.jdbc.url (with fastsession.jdbc.username and password) for a pool of its own,"
							+ " or give the application a DataSource (spring.datasource.*), marking the one for"
							+ " sessions with @FastSessionDataSource if there are several.");
		}
		int size = 10;
		String where = "the application's DataSource";
		if (ClassUtils.isPresent(HIKARI, JdbcStoreConfiguration.class.getClassLoader())) {
			size = HikariPools.maximumPoolSize(dataSource, size);
			String url = HikariPools.jdbcUrl(dataSource);
			if (url != null) {
				where = dialect.getId() + " at " + JdbcUrls.describe(url) + " (" + where + ")";
			}
		}
		// The application owns its DataSource: closing the store leaves it alone.
		return new Pool(dataSource, size, () -> {
		}, where, "the application's DataSource (spring.datasource.*)");
	}

	private static long connectionTimeout(FastSessionProperties properties) {
		// Waiting longer for a connection than a request may take is pointless; Hikari's
		// minimum is 250 ms.
		return Math.max(Duration.ofMillis(250).toMillis(), properties.getStoreTimeout().toMillis());
	}

	/**
	 * A data source, how many connections it has, how to release it, where it leads (for
	 * logs and failure reports: never a password) and the settings that choose it.
	 */
	private record Pool(DataSource dataSource, int size, Runnable onClose, String where, String settings) {
	}

	/**
	 * Reads Hikari's pool size; a class of its own so that Hikari is only loaded when
	 * present.
	 */
	private static final class HikariPools {

		static int maximumPoolSize(DataSource dataSource, int fallback) {
			return (dataSource instanceof HikariDataSource hikari) ? hikari.getMaximumPoolSize() : fallback;
		}

		static @Nullable String jdbcUrl(DataSource dataSource) {
			return (dataSource instanceof HikariDataSource hikari) ? hikari.getJdbcUrl() : null;
		}

	}

}
