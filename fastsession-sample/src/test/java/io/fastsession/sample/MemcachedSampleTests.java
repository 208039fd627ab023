package io.fastsession.sample;

import java.util.UUID;

import io.fastsession.store.memcached.MemcachedSessionStore;
import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "fastsession.provider=memcached")
@NeedsServer
class MemcachedSampleTests extends SampleContractTests {

	@Autowired
	MemcachedSessionStore store;

	@DynamicPropertySource
	static void memcached(DynamicPropertyRegistry registry) {
		registry.add("fastsession.memcached.servers", () -> String.join(",", TestServers.memcachedServers()));
		registry.add("fastsession.memcached.key-prefix",
				() -> "fastsession-sample:" + UUID.randomUUID().toString().substring(0, 8) + ":");
	}

	@Override
	void damage(String key, StoredSessionDamage damage) throws Exception {
		Transcoder<byte[]> transcoder = new RawBytes();
		String item = this.store.getKeyPrefix() + key;
		byte[] stored = this.store.getClient().get(item, transcoder);
		assertThat(stored).isNotNull();
		assertThat(this.store.getClient().set(item, 600, damage.apply(stored, "user"), transcoder).get()).isTrue();
	}

	@Test
	void runsOnMemcached() {
		assertThat(this.store.getClient().getAvailableServers()).hasSize(2);
	}

	/**
	 * Item bytes as they are, as fastsession stores them.
	 */
	static final class RawBytes implements Transcoder<byte[]> {

		@Override
		public boolean asyncDecode(CachedData data) {
			return false;
		}

		@Override
		public CachedData encode(byte[] value) {
			return new CachedData(0, value, getMaxSize());
		}

		@Override
		public byte[] decode(CachedData data) {
			return data.getData();
		}

		@Override
		public int getMaxSize() {
			return 1 << 20;
		}

	}

}
