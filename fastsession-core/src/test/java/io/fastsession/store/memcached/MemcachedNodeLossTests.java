package io.fastsession.store.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.SessionStoreException;
import io.fastsession.id.SessionKeys;
import io.fastsession.testing.MemcachedServerProcess;
import io.fastsession.testing.NeedsServer;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.KetamaNodeLocator;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.MemcachedNode;
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
@NeedsServer
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
		this.first.close();
		this.second.close();
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
			// A session whose every Ketama alternative is the second node too (about one
			// in 128 with two nodes): spymemcached alone would keep sending it to the
			// dead node.
			String stranded = null;
			KetamaNodeLocator ketama = new KetamaNodeLocator(new ArrayList<>(client.getNodeLocator().getAll()),
					DefaultHashAlgorithm.KETAMA_HASH);
			for (int i = 0; onFirst.size() < 5 || onSecond.size() < 5 || stranded == null; i++) {
				Session session = manager.createSession();
				session.set("user", "u" + i);
				String value = manager.commit(session).block().getClientValue();
				boolean second = isOn(client, manager, value, this.second);
				if (second && stranded == null && onlyOn(ketama, itemKey(manager, value), this.second)) {
					stranded = value;
					onSecond.add(value);
				}
				else if (second ? onSecond.size() < 5 : onFirst.size() < 5) {
					(second ? onSecond : onFirst).add(value);
				}
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
					// (503).
					await().atMost(Duration.ofSeconds(15))
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
		return isNode(client.getNodeLocator().getPrimary(itemKey(manager, clientValue)), node);
	}

	private static boolean onlyOn(KetamaNodeLocator ketama, String item, MemcachedServerProcess node) {
		for (Iterator<MemcachedNode> alternatives = ketama.getSequence(item); alternatives.hasNext();) {
			if (!isNode(alternatives.next(), node)) {
				return false;
			}
		}
		return true;
	}

	private static boolean isNode(MemcachedNode candidate, MemcachedServerProcess node) {
		return ((InetSocketAddress) candidate.getSocketAddress()).getPort() == node.getPort();
	}

	private static String itemKey(SessionManager manager, String clientValue) {
		return "fastsession:" + SessionKeys.hash(manager.decodeId(clientValue));
	}

}
