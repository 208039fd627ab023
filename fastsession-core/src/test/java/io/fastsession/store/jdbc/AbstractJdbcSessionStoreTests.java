package io.fastsession.store.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.fastsession.MutableClock;
import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.fastsession.store.SessionStoreContractTests;
import io.fastsession.testing.CountingDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on a real database, plus what the SQL providers promise beyond it:
 * statements per request, batched cleanup, and migrations that coexist with the
 * application's. Subclasses provide the database; tables are created once per class with
 * {@link #PREFIX}.
 */
abstract class AbstractJdbcSessionStoreTests extends SessionStoreContractTests {

	static final String PREFIX = "fs_test_";

	private CountingDataSource counting;

	/**
	 * Return a data source on the class's own database, where {@link JdbcSchema#migrate}
	 * ran.
	 */
	protected abstract DataSource dataSource();

	protected abstract JdbcDialect dialect();

	@Override
	protected SessionStore createStore(MutableClock clock) {
		this.counting = new CountingDataSource(dataSource());
		return JdbcSessionStore.builder(this.counting.getDataSource(), dialect())
			.tablePrefix(PREFIX)
			.queryTimeout(Duration.ofSeconds(10))
			.build();
	}

	/**
	 * Why this database cannot run a second pool with auto-commit off next to the test's
	 * own, or {@code null} if it can.
	 */
	protected String autoCommitOffUnsupported() {
		return null;
	}

	@Override
	protected void corrupt(String key) {
		new JdbcTemplate(dataSource()).update("UPDATE " + PREFIX + "sessions SET max_idle_ms = -1 WHERE id = ?", key);
	}

	@Test
	void readIsOneQueryAndWriteIsOneTransaction() {
		String client = newSession(Map.of("a", 1, "b", 2, "c", 3));
		this.counting.reset();
		Session read = request(client);
		read.get("a");
		commit(read);
		assertThat(this.counting.statements).hasSize(1).allMatch((sql) -> sql.startsWith("SELECT"));
		assertThat(this.counting.commits).hasValue(0);

		this.counting.reset();
		Session write = request(client);
		write.set("b", 20);
		write.remove("c");
		commit(write);
		assertThat(this.counting.statements).hasSize(4);
		assertThat(this.counting.statements.get(0)).startsWith("SELECT");
		assertThat(this.counting.statements.get(1)).startsWith("UPDATE " + PREFIX + "sessions");
		assertThat(this.counting.statements.get(2)).startsWith("DELETE FROM " + PREFIX + "session_attributes");
		assertThat(this.counting.statements.get(3)).startsWith("INSERT INTO " + PREFIX + "session_attributes");
		assertThat(this.counting.commits).hasValue(1);
	}

	/**
	 * On an application DataSource whose pool has auto-commit off (a common JPA tuning),
	 * the pool rolls back whatever was not committed when a connection comes back: every
	 * write, deletes included, must commit. Before deletes ran in a transaction, the
	 * logged-out and the regenerated-away sessions stayed alive here.
	 */
	@Test
	void logoutRegenerateAndCleanupHoldOnAPoolWithAutoCommitOff() {
		String unsupported = autoCommitOffUnsupported();
		if (unsupported != null) {
			Assumptions.abort(unsupported);
		}
		HikariDataSource application = (HikariDataSource) dataSource();
		try (HikariDataSource autoCommitOff = new HikariDataSource()) {
			autoCommitOff.setDataSource(application.getDataSource());
			autoCommitOff.setJdbcUrl(application.getJdbcUrl());
			autoCommitOff.setUsername(application.getUsername());
			autoCommitOff.setPassword(application.getPassword());
			autoCommitOff.setMaximumPoolSize(2);
			autoCommitOff.setAutoCommit(false);
			JdbcSessionStore store = JdbcSessionStore.builder(autoCommitOff, dialect()).tablePrefix(PREFIX).build();
			try {
				SessionManager manager = SessionManager.builder(store).clock(this.clock).build();
				Session login = manager.createSession();
				login.set("user", "alice");
				String stolen = manager.commit(login).block().getClientValue();
				Session logout = manager.load(List.of(stolen)).block();
				logout.invalidate();
				manager.commit(logout).block();
				assertThat(this.store.load(key(stolen)).blockOptional()).as("logged out").isEmpty();

				Session anonymous = manager.createSession();
				anonymous.set("cart", "book");
				String before = manager.commit(anonymous).block().getClientValue();
				Session regenerate = manager.load(List.of(before)).block();
				regenerate.regenerateId();
				String after = manager.commit(regenerate).block().getClientValue();
				assertThat(this.store.load(key(before)).blockOptional()).as("old id after regenerate").isEmpty();
				assertThat(this.store.load(key(after)).blockOptional()).isPresent();

				String expired = newKey();
				Instant now = this.clock.instant();
				store.create(expired, new SessionRecord(now, now, Duration.ofMinutes(1), null, Map.of("a", bytes("1"))))
					.block();
				assertThat(store.removeExpired(now.plus(Duration.ofMinutes(2))).block()).isPositive();
				assertThat(this.store.load(expired).blockOptional()).as("swept").isEmpty();

				String corrupt = newKey();
				store.create(corrupt, record(Map.of("a", bytes("1")))).block();
				corrupt(corrupt);
				assertThat(store.load(corrupt).blockOptional()).isEmpty();
				assertThat(new JdbcTemplate(dataSource())
					.queryForObject("SELECT COUNT(*) FROM " + PREFIX + "sessions WHERE id = ?", Long.class, corrupt))
					.as("corrupt row dropped")
					.isZero();
			}
			finally {
				store.close();
			}
		}
	}

	@Test
	void unchangedSessionWritesNothing() {
		String client = newSession(Map.of("a", 1));
		this.counting.reset();
		for (int i = 0; i < 3; i++) {
			commit(request(client));
		}
		assertThat(this.counting.statements).hasSize(3).allMatch((sql) -> sql.startsWith("SELECT"));
	}

	@Test
	void cleanupDeletesExpiredSessionsInBoundedBatches() {
		JdbcSessionStore small = JdbcSessionStore.builder(dataSource(), dialect())
			.tablePrefix(PREFIX)
			.cleanup(10, 2)
			.build();
		try {
			Instant now = this.clock.instant();
			this.store.removeExpired(now.plus(Duration.ofDays(1000))).block();
			for (int i = 0; i < 25; i++) {
				this.store
					.create(newKey(), new SessionRecord(now, now, Duration.ofMinutes(1), null, Map.of("a", bytes("1"))))
					.block();
			}
			String live = newKey();
			this.store.create(live, new SessionRecord(now, now, Duration.ofDays(1), null, Map.of("a", bytes("1"))))
				.block();
			Instant later = now.plus(Duration.ofMinutes(2));
			assertThat(small.removeExpired(later).block()).isEqualTo(20);
			assertThat(small.removeExpired(later).block()).isEqualTo(5);
			assertThat(small.removeExpired(later).block()).isZero();
			assertThat(this.store.load(live).blockOptional()).isPresent();
			assertThat(new JdbcTemplate(dataSource()).queryForObject("SELECT COUNT(*) FROM " + PREFIX
					+ "session_attributes WHERE session_id NOT IN (SELECT id FROM " + PREFIX + "sessions)", Long.class))
				.as("attributes cascade with their session")
				.isZero();
		}
		finally {
			small.close();
		}
	}

	@Test
	void migrationsApplyOnceAndCoexistWithTheApplicationsFlyway() {
		assertThat(JdbcSchema.migrate(dataSource(), dialect(), PREFIX)).as("already applied").isZero();
		Flyway application = Flyway.configure()
			.dataSource(dataSource())
			.locations("classpath:app/migration")
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load();
		assertThat(application.migrate().migrationsExecuted).isEqualTo(1);
		assertThat(application.migrate().migrationsExecuted).isZero();
		assertThat(JdbcSchema.migrate(dataSource(), dialect(), PREFIX)).isZero();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_orders", Long.class)).isZero();
		assertThat(jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + PREFIX + "schema_history WHERE success = " + trueLiteral(), Long.class))
			.isPositive();
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE version = '1'", Long.class))
			.isEqualTo(1);
	}

	@Test
	void anotherTablePrefixGivesAnotherSetOfTables() {
		assertThat(JdbcSchema.migrate(dataSource(), dialect(), "other_")).isEqualTo(3);
		JdbcSessionStore other = JdbcSessionStore.builder(dataSource(), dialect()).tablePrefix("other_").build();
		try {
			String key = newKey();
			other.create(key, record(Map.of("a", bytes("1")))).block();
			assertThat(other.load(key).blockOptional()).isPresent();
			assertThat(this.store.load(key).blockOptional()).isEmpty();
		}
		finally {
			other.close();
		}
	}

	@Test
	void writesDoNotBlockTheCallersThread() {
		SessionManager manager = this.manager;
		Session session = reactor.core.publisher.Mono.defer(() -> manager.load(List.of()))
			.subscribeOn(reactor.core.scheduler.Schedulers.parallel())
			.block();
		session.set("a", 1);
		String client = reactor.core.publisher.Mono.defer(() -> manager.commit(session))
			.subscribeOn(reactor.core.scheduler.Schedulers.parallel())
			.block()
			.getClientValue();
		Session loaded = reactor.core.publisher.Mono.defer(() -> manager.load(List.of(client)))
			.subscribeOn(reactor.core.scheduler.Schedulers.parallel())
			.block();
		assertThat(loaded.get("a")).isEqualTo(1);
	}

	protected String trueLiteral() {
		return "true";
	}

}
