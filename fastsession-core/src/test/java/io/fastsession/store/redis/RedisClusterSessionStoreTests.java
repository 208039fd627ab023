package io.fastsession.store.redis;

import java.util.Map;
import java.util.UUID;

import io.fastsession.MutableClock;
import io.fastsession.Session;
import io.fastsession.SessionCommit;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.SessionStore;
import io.fastsession.store.SessionStoreContractTests;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.RedisConnections;
import io.fastsession.testing.TestServers;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on a Redis Cluster of three masters with replicas: every script
 * touches one key, and regeneration moves a session between slots without RENAME.
 */
@NeedsServer
class RedisClusterSessionStoreTests extends SessionStoreContractTests {

	static final String PREFIX = "fastsession-cluster-test:" + UUID.randomUUID() + ":";

	static LettuceConnectionFactory connectionFactory;

	static ReactiveStringRedisTemplate redis;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.cluster(TestServers.redisClusterNodes());
		redis = new ReactiveStringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected SessionStore createStore(MutableClock clock) {
		return new RedisSessionStore(connectionFactory, PREFIX, clock);
	}

	@Override
	protected boolean expiresOnRealTime() {
		return true;
	}

	@Override
	protected void corrupt(String key) {
		redis.opsForHash().put(PREFIX + key, RedisSessionStore.CREATED, "not-a-number").block();
	}

	@Test
	void regenerateMovesASessionToAnotherSlot() {
		String client = newSession(Map.of("user", "alice"));
		int oldSlot = slot(client);
		String current = client;
		for (int attempt = 0; attempt < 20 && slot(current) == oldSlot; attempt++) {
			Session session = request(current);
			session.regenerateId();
			SessionCommit result = commit(session);
			assertThat(result.getAction()).isEqualTo(SessionCommit.Action.SEND_ID);
			current = result.getClientValue();
		}
		assertThat(slot(current)).isNotEqualTo(oldSlot);
		assertThat(request(current).get("user")).isEqualTo("alice");
		assertThat(request(client).isNew()).isTrue();
	}

	private int slot(String clientValue) {
		return SlotHash.getSlot(PREFIX + SessionKeys.hash(this.manager.decodeId(clientValue)));
	}

}
