package io.fastsession.sample;

import java.util.UUID;

import io.fastsession.store.redis.RedisSessionStore;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "fastsession.provider=redis")
@NeedsServer
class RedisSampleTests extends SampleContractTests {

	static final String PREFIX = "fastsession-sample-test:" + UUID.randomUUID() + ":";

	@Autowired
	RedisSessionStore store;

	@Autowired
	ReactiveStringRedisTemplate redis;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", TestServers::redisUrl);
		registry.add("fastsession.redis.key-prefix", () -> PREFIX);
	}

	@Override
	void damage(String key, StoredSessionDamage damage) {
		String field = (damage == StoredSessionDamage.GARBAGE_RECORD) ? "m:c" : "a:user";
		String value = new String((damage == StoredSessionDamage.GARBAGE_RECORD) ? StoredSessionDamage.GARBAGE
				: StoredSessionDamage.TRUNCATED_JSON, java.nio.charset.StandardCharsets.ISO_8859_1);
		assertThat(this.redis.opsForHash().hasKey(PREFIX + key, field).block()).isTrue();
		this.redis.opsForHash().put(PREFIX + key, field, value).block();
	}

	@Test
	void sessionsAreHashesUnderTheKeyPrefixNamedByIdHashes() {
		String session = cookieOf(post("/api/counter", null));
		var keys = this.redis.keys(PREFIX + "*").collectList().block();
		assertThat(keys).isNotEmpty().noneMatch((key) -> key.contains(session));
		assertThat(this.store.getKeyPrefix()).isEqualTo(PREFIX);
	}

}
