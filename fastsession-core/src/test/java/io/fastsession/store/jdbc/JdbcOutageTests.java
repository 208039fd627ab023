package io.fastsession.store.jdbc;

import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.SessionStoreException;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TcpProxy;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL behind a proxy the test controls: a database that disappears, or a pool with
 * no free connection, makes session calls fail within the store timeout, and service
 * comes back by itself.
 */
@NeedsServer
class JdbcOutageTests {

	private TestDatabases.Isolated database;

	private TcpProxy proxy;

	private HikariDataSource pool;

	private JdbcSessionStore store;

	private SessionManager manager;

	@BeforeEach
	void setUp() throws Exception {
		this.database = TestDatabases.postgres().isolate();
		JdbcSchema.migrate(this.database.dataSource(), JdbcDialect.POSTGRES, "fastsession_");
		URI uri = URI.create(this.database.url().substring("jdbc:".length()));
		this.proxy = TcpProxy.start(uri.getHost(), uri.getPort());
		this.pool = new HikariDataSource();
		this.pool.setJdbcUrl(this.database.url().replace(":" + uri.getPort() + "/", ":" + this.proxy.getPort() + "/"));
		this.pool.setUsername(this.database.server().user());
		this.pool.setPassword(this.database.server().password());
		this.pool.setMaximumPoolSize(2);
		this.pool.setConnectionTimeout(500);
		this.store = JdbcSessionStore.builder(this.pool, JdbcDialect.POSTGRES)
			.threads(2)
			.queryTimeout(Duration.ofSeconds(1))
			.build();
		this.manager = SessionManager.builder(this.store).storeTimeout(Duration.ofSeconds(1)).build();
	}

	@AfterEach
	void tearDown() {
		this.store.close();
		this.pool.close();
		this.proxy.close();
		this.database.close();
	}

	@Test
	void databaseOutageFailsWithinTheTimeoutAndRecovers() {
		String client = newSession();
		this.proxy.cut();
		StepVerifier.create(this.manager.load(List.of(client)))
			.expectError(SessionStoreException.class)
			.verify(Duration.ofSeconds(5));
		this.proxy.restore();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.ignoreException(SessionStoreException.class)
			.untilAsserted(() -> assertThat(this.manager.load(List.of(client)).block().get("user")).isEqualTo("alice"));
	}

	@Test
	void exhaustedPoolFailsWithinTheTimeoutAndRecovers() throws Exception {
		String client = newSession();
		List<Connection> held = new ArrayList<>();
		try {
			held.add(this.pool.getConnection());
			held.add(this.pool.getConnection());
			StepVerifier.create(this.manager.load(List.of(client)))
				.expectError(SessionStoreException.class)
				.verify(Duration.ofSeconds(5));
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		assertThat(this.manager.load(List.of(client)).block().get("user")).isEqualTo("alice");
	}

	private String newSession() {
		Session session = this.manager.createSession();
		session.set("user", "alice");
		return this.manager.commit(session).block().getClientValue();
	}

}
