package io.fastsession.sample;

import java.util.UUID;

import io.fastsession.store.memcached.MemcachedSessionStore;
import io.fastsession.testing.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "fastsession.provider=memcached")
class MemcachedSampleTests extends SampleContractTests {

	@Autowired
	MemcachedSessionStore store;

	@DynamicPropertySource
	static void memcached(DynamicPropertyRegistry registry) {
		registry.add("fastsession.memcached.servers", () -> String.join(",", TestServers.memcachedServers()));
		registry.add("fastsession.memcached.key-prefix",
				() -> "fastsession-sample:" + UUID.randomUUID().toString().substring(0, 8) + ":");
	}

	@Test
	void runsOnMemcached() {
		assertThat(this.store.getClient().getAvailableServers()).hasSize(2);
	}

}
