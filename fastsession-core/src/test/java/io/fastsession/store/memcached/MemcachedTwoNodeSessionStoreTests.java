package io.fastsession.store.memcached;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.fastsession.id.SessionKeys;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestServers;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on two memcached nodes, with sessions spread over both by consistent
 * hashing.
 */
@NeedsServer
class MemcachedTwoNodeSessionStoreTests extends AbstractMemcachedSessionStoreTests {

	static MemcachedClient client;

	@BeforeAll
	static void connect() {
		client = client(String.join(",", TestServers.memcachedServers().subList(0, 2)));
	}

	@AfterAll
	static void disconnect() {
		client.shutdown();
	}

	@Override
	MemcachedClient client() {
		return client;
	}

	@Test
	void sessionsAreSpreadOverBothNodes() {
		Set<InetSocketAddress> nodes = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			nodes.add((InetSocketAddress) client.getNodeLocator()
				.getPrimary(this.prefix + SessionKeys.hash(newKey()))
				.getSocketAddress());
		}
		assertThat(nodes).hasSize(2);
		assertThat(List.copyOf(nodes)).isNotEmpty();
	}

}
