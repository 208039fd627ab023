package io.fastsession.store.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.SessionStoreException;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.RedisConnections;
import io.fastsession.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A test-owned Redis server is stopped and started again under a running manager: calls
 * fail within the store timeout while it is down, and work again once it is back, without
 * any restart of the client.
 */
@NeedsServer
class RedisOutageTests {

	@Test
	void outageFailsFastAndRecoversByItself() throws IOException {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory connectionFactory = RedisConnections.standalone(server.getUrl());
			try {
				SessionManager manager = SessionManager.builder(new RedisSessionStore(connectionFactory))
					.storeTimeout(Duration.ofMillis(500))
					.build();
				Session session = manager.createSession();
				session.set("user", "alice");
				String client = manager.commit(session).block().getClientValue();

				server.stop();
				StepVerifier.create(manager.load(List.of(client)))
					.expectError(SessionStoreException.class)
					.verify(Duration.ofSeconds(3));
				Session fresh = manager.createSession();
				fresh.set("a", 1);
				StepVerifier.create(manager.commit(fresh))
					.expectError(SessionStoreException.class)
					.verify(Duration.ofSeconds(3));

				server.startAgain();
				await().atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(250))
					.ignoreException(SessionStoreException.class)
					.untilAsserted(() -> assertThat(manager.load(List.of(client)).block()).isNotNull());
				Session again = manager.createSession();
				again.set("user", "bob");
				String next = manager.commit(again).block().getClientValue();
				assertThat(manager.load(List.of(next)).block().get("user")).isEqualTo("bob");
			}
			finally {
				connectionFactory.destroy();
			}
		}
	}

}
