package io.fastsession.store.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.fastsession.Session;
import io.fastsession.SessionKeys;
import io.fastsession.SessionManager;
import io.fastsession.SessionStoreException;
import io.fastsession.testing.MemcachedServerProcess;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two test-owned memcached nodes, one of which is stopped in the middle of the test:
 * sessions on the other node keep working, sessions on the lost node get a fresh session
 * or a 503 as configured, within the operation timeout, and the node is used again once
 * it is back.
 */
class MemcachedNodeLossTests {

	private MemcachedServerProcess first;

	private MemcachedServerProcess second;

	@BeforeEach
	void startNodes() throws IOException {
		this.first = MemcachedServerProcess.start();
		this.second = MemcachedServerProcess.start();
	}

	@AfterEach
	void stopNodes() {
		this.first.stop();
		this.second.stop();
	}

	@Test
	void lostNodeGivesFreshSessionsAndTheOtherNodeKeepsWorking() throws IOException {
		run(MemcachedClients.NodeFailure.NEW_SESSION);
	}

	@Test
	void lostNodeGivesUnavailableAndTheOtherNodeKeepsWorking() throws IOException {
		run(MemcachedClients.NodeFailure.UNAVAILABLE);
	}

	private void run(MemcachedClients.NodeFailure mode) throws IOException {
		MemcachedClient client = MemcachedClients.create(this.first.getAddress() + "," + this.second.getAddress(),
				Duration.ofMillis(500), true, mode);
		try {
			MemcachedSessionStore store = new MemcachedSessionStore(client, "fastsession:",
					MemcachedSessionStore.DEFAULT_MAX_ITEM_SIZE, Clock.systemUTC());
			SessionManager manager = SessionManager.builder(store).storeTimeout(Duration.ofSeconds(1)).build();
			List<String> onFirst = new ArrayList<>();
			List<String> onSecond = new ArrayList<>();
			while (onFirst.size() < 5 || onSecond.size() < 5) {
				Session session = manager.createSession();
				session.set("user", "u" + (onFirst.size() + onSecond.size()));
				String value = manager.commit(session).block().getClientValue();
				(isOn(client, manager, value, this.second) ? onSecond : onFirst).add(value);
			}

			this.second.stop();
			for (String value : onFirst) {
				assertThat(manager.load(List.of(value)).block(Duration.ofSeconds(5)).isNew()).isFalse();
			}
			for (String value : onSecond) {
				if (mode == MemcachedClients.NodeFailure.UNAVAILABLE) {
					StepVerifier.create(manager.load(List.of(value)))
						.expectError(SessionStoreException.class)
						.verify(Duration.ofSeconds(5));
				}
				else {
					// Until the client notices the node is gone, a call may time out
					// (503). On a loaded machine spymemcached once took more than 15 s to
					// mark the killed node down (seen in a full CI run).
					await().atMost(Duration.ofSeconds(45))
						.ignoreExceptionsInstanceOf(SessionStoreException.class)
						.untilAsserted(
								() -> assertThat(manager.load(List.of(value)).block(Duration.ofSeconds(5)).isNew())
									.isTrue());
				}
			}

			this.second.startAgain();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(250))
				.ignoreExceptionsInstanceOf(SessionStoreException.class)
				.untilAsserted(() -> assertThat(client.getUnavailableServers()).isEmpty());
			List<String> after = new ArrayList<>();
			while (after.size() < 3) {
				Session session = manager.createSession();
				session.set("after", true);
				String value = manager.commit(session).block(Duration.ofSeconds(5)).getClientValue();
				if (isOn(client, manager, value, this.second)) {
					after.add(value);
				}
			}
			for (String value : after) {
				assertThat(manager.load(List.of(value)).block(Duration.ofSeconds(5)).get("after")).isEqualTo(true);
			}
			for (String value : onFirst) {
				assertThat(manager.load(List.of(value)).block(Duration.ofSeconds(5)).isNew()).isFalse();
			}
		}
		finally {
			client.shutdown();
		}
	}

	private static boolean isOn(MemcachedClient client, SessionManager manager, String clientValue,
			MemcachedServerProcess node) {
		String item = "fastsession:" + SessionKeys.hash(manager.decodeId(clientValue));
		InetSocketAddress address = (InetSocketAddress) client.getNodeLocator().getPrimary(item).getSocketAddress();
		return address.getPort() == node.getPort();
	}

}
