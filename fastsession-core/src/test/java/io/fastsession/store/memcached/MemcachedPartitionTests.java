package io.fastsession.store.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.SessionStoreException;
import io.fastsession.id.SessionKeys;
import io.fastsession.testing.MemcachedServerProcess;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TcpProxy;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partial partition: this instance cannot reach one of two memcached nodes (the proxy
 * in front of it stops listening), while the sessions on that node live on for every
 * instance that still reaches it. Deleting such a session from here must fail, whatever
 * the failure mode for reads: a delete sent to the other node would find nothing, report
 * success, expire the user's cookie, and leave a stolen copy of it working elsewhere.
 */
@NeedsServer
class MemcachedPartitionTests {

	private MemcachedServerProcess reachable;

	private MemcachedServerProcess partitioned;

	private TcpProxy proxy;

	@BeforeEach
	void startNodes() throws IOException {
		this.reachable = MemcachedServerProcess.start();
		this.partitioned = MemcachedServerProcess.start();
		this.proxy = TcpProxy.start("127.0.0.1", this.partitioned.getPort());
	}

	@AfterEach
	void stopNodes() {
		this.proxy.close();
		this.reachable.close();
		this.partitioned.close();
	}

	@ParameterizedTest
	@EnumSource(MemcachedClients.NodeFailure.class)
	void logoutRegenerateAndRevokeFailWhenTheSessionsNodeIsUnreachable(MemcachedClients.NodeFailure mode)
			throws IOException {
		MemcachedClient client = MemcachedClients.create(
				this.reachable.getAddress() + ",127.0.0.1:" + this.proxy.getPort(), Duration.ofMillis(500), true, mode);
		try {
			MemcachedSessionStore store = new MemcachedSessionStore(client, "fastsession:",
					MemcachedSessionStore.DEFAULT_MAX_ITEM_SIZE, Clock.systemUTC());
			SessionManager manager = SessionManager.builder(store).storeTimeout(Duration.ofSeconds(2)).build();
			String stolen = sessionOnThePartitionedNode(client, manager);
			String key = SessionKeys.hash(manager.decodeId(stolen));
			Session logout = manager.load(List.of(stolen)).block(Duration.ofSeconds(5));
			Session login = manager.load(List.of(stolen)).block(Duration.ofSeconds(5));
			assertThat(logout.isNew()).isFalse();

			this.proxy.unreachable();
			// spymemcached notices a lost connection when it next uses it.
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
				manager.load(List.of(stolen)).onErrorResume(SessionStoreException.class, (ex) -> Mono.empty()).block();
				return !client.getUnavailableServers().isEmpty();
			});
			readsFollowTheMode(manager, stolen, mode);

			logout.invalidate();
			StepVerifier.create(manager.commit(logout)).expectError(SessionStoreException.class).verify();
			login.regenerateId();
			StepVerifier.create(manager.commit(login)).expectError(SessionStoreException.class).verify();
			StepVerifier.create(manager.deleteByKey(key)).expectError(SessionStoreException.class).verify();
			StepVerifier.create(store.delete(key)).expectError(SessionStoreException.class).verify();
			assertThat(item(key)).as("the session on its own node").contains("VA");

			this.proxy.restore();
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> client.getUnavailableServers().isEmpty());
			assertThat(manager.deleteByKey(key).block(Duration.ofSeconds(5))).as("deleted once reachable").isTrue();
			assertThat(item(key)).startsWith("EN");
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * In new-session mode a read of a session on an unreachable node gives a fresh
	 * session; in unavailable mode it fails.
	 */
	private static void readsFollowTheMode(SessionManager manager, String clientValue,
			MemcachedClients.NodeFailure mode) {
		if (mode == MemcachedClients.NodeFailure.UNAVAILABLE) {
			StepVerifier.create(manager.load(List.of(clientValue))).expectError(SessionStoreException.class).verify();
			return;
		}
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptionsInstanceOf(SessionStoreException.class)
			.untilAsserted(() -> assertThat(manager.load(List.of(clientValue)).block(Duration.ofSeconds(5)).isNew())
				.as("read falls back to the other node")
				.isTrue());
	}

	private String sessionOnThePartitionedNode(MemcachedClient client, SessionManager manager) {
		while (true) {
			Session session = manager.createSession();
			session.set("user", "alice");
			String value = manager.commit(session).block(Duration.ofSeconds(5)).getClientValue();
			InetSocketAddress node = (InetSocketAddress) client.getNodeLocator()
				.getPrimary("fastsession:" + SessionKeys.hash(manager.decodeId(value)))
				.getSocketAddress();
			if (node.getPort() == this.proxy.getPort()) {
				return value;
			}
		}
	}

	/** The item as the node itself has it, bypassing the cut proxy. */
	private String item(String key) throws IOException {
		return this.partitioned.command("mg fastsession:" + key + " v");
	}

}
