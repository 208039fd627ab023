package io.fastsession.store.memcached;

import java.time.Duration;
import java.util.UUID;

import io.fastsession.MutableClock;
import io.fastsession.store.SessionStore;
import io.fastsession.store.SessionStoreContractTests;
import net.spy.memcached.MemcachedClient;

/**
 * The store contract on real memcached servers, through one client per test class.
 */
abstract class AbstractMemcachedSessionStoreTests extends SessionStoreContractTests {

	final String prefix = "fastsession-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	static MemcachedClient client(String servers) {
		return MemcachedClients.create(servers, Duration.ofSeconds(2), true, MemcachedClients.NodeFailure.UNAVAILABLE);
	}

	abstract MemcachedClient client();

	@Override
	protected SessionStore createStore(MutableClock clock) {
		return new MemcachedSessionStore(client(), this.prefix, MemcachedSessionStore.DEFAULT_MAX_ITEM_SIZE, clock);
	}

	@Override
	protected void corrupt(String key) throws Exception {
		client()
			.set(this.prefix + key, 60, new byte[] { 'g', 'a', 'r', 'b', 'a', 'g', 'e' }, new RawTranscoder(1 << 20))
			.get();
	}

	@Override
	protected boolean expiresOnRealTime() {
		return true;
	}

	@Override
	protected boolean supportsCount() {
		return false;
	}

}
