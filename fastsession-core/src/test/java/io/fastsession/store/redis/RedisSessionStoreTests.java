package io.fastsession.store.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.fastsession.MutableClock;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.fastsession.store.SessionStoreContractTests;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.RedisConnections;
import io.fastsession.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on a standalone Redis, plus the Redis layout: TTLs, field names, and
 * data that is not a session hash.
 */
@NeedsServer
class RedisSessionStoreTests extends SessionStoreContractTests {

	static final String PREFIX = "fastsession-test:" + UUID.randomUUID() + ":";

	static LettuceConnectionFactory connectionFactory;

	static ReactiveStringRedisTemplate redis;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.standalone(TestServers.redisUrl());
		redis = new ReactiveStringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void cleanUpAndDisconnect() {
		redis.scan(ScanOptions.scanOptions().match(PREFIX + "*").build()).flatMap(redis::delete).blockLast();
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

	/**
	 * How the store sends a request's commands on this class's connection factory.
	 * @return the {@link SessionCommands} it must use
	 */
	Class<? extends SessionCommands> expectedCommands() {
		return LettuceAsyncCommands.class;
	}

	@Test
	void requestCommandsTakeTheCheapestPathTheFactoryOffers() {
		assertThat(this.store).extracting("commands").isInstanceOf(expectedCommands());
	}

	@Test
	void ttlFollowsTheIdleTimeoutCappedByTheAbsoluteTimeout() {
		Instant now = this.clock.instant();
		String idle = newKey();
		this.store.create(idle, new SessionRecord(now, now, Duration.ofMinutes(30), null, Map.of())).block();
		assertThat(pttl(idle)).isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
		String capped = newKey();
		this.store
			.create(capped,
					new SessionRecord(now, now, Duration.ofMinutes(30), now.plus(Duration.ofMinutes(10)), Map.of()))
			.block();
		assertThat(pttl(capped)).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
	}

	@Test
	void updateRefreshesTheTtl() {
		Instant now = this.clock.instant();
		String key = newKey();
		this.store.create(key, new SessionRecord(now, now, Duration.ofMinutes(5), null, Map.of())).block();
		this.clock.advance(Duration.ofMinutes(3));
		this.store.update(key, delta(false, Map.of(), java.util.Set.of())).block();
		assertThat(pttl(key)).isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
	}

	@Test
	void sessionIsOneHashOfMetadataAndPrefixedAttributes() {
		String key = newKey();
		this.store.create(key, record(Map.of("user", bytes("\"alice\""), "m:c", bytes("1")))).block();
		Map<Object, Object> hash = redis.opsForHash()
			.entries(PREFIX + key)
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block();
		assertThat(hash).containsOnlyKeys("m:c", "m:a", "m:i", "a:user", "a:m:c");
		assertThat(hash.get("a:user")).isEqualTo("\"alice\"");
		assertThat(redis.type(PREFIX + key).block().code()).isEqualTo("hash");
	}

	@Test
	void keyOfAnotherTypeIsDroppedNotAnError() {
		String key = newKey();
		redis.opsForValue().set(PREFIX + key, "some string").block();
		assertThat(this.store.update(key, delta(false, Map.of("a", bytes("1")), java.util.Set.of())).block()).isFalse();
		assertThat(this.store.load(key).blockOptional()).isEmpty();
		assertThat(redis.hasKey(PREFIX + key).block()).isFalse();
	}

	private long pttl(String key) {
		return redis.getExpire(PREFIX + key).block().toMillis();
	}

}
