package io.fastsession.store.memcached;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.fastsession.SessionTooLargeException;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.SessionRecord;
import io.fastsession.testing.MemcachedServerProcess;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestServers;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store contract on one memcached node, plus memcached's own rules: expirations above
 * 30 days, key validity, and the item size limit.
 */
@NeedsServer
class MemcachedSessionStoreTests extends AbstractMemcachedSessionStoreTests {

	static String server;

	static MemcachedClient client;

	@BeforeAll
	static void connect() {
		server = TestServers.memcachedServers().get(0);
		client = client(server);
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
	void expirationsAboveThirtyDaysAreSentAsUnixTimes() {
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		assertThat(MemcachedSessionStore.expiration(now.plus(Duration.ofMinutes(30)), now)).isEqualTo(1800);
		assertThat(MemcachedSessionStore.expiration(now.plus(Duration.ofDays(30)), now)).isEqualTo(30 * 86400);
		Instant later = now.plus(Duration.ofDays(31));
		assertThat(MemcachedSessionStore.expiration(later, now)).isEqualTo(later.getEpochSecond() + 1);
		assertThat(MemcachedSessionStore.expiration(now.minusSeconds(5), now)).isEqualTo(1);
	}

	@Test
	void sessionWithAFortyDayLifetimeIsStoredForFortyDays() throws Exception {
		String key = newKey();
		Instant now = this.clock.instant();
		this.store.create(key, new SessionRecord(now, now, Duration.ofDays(40), null, Map.of("a", bytes("1")))).block();
		assertThat(this.store.load(key).blockOptional()).isPresent();
		String reply = MemcachedServerProcess.command(host(), port(), "mg " + this.prefix + key + " t");
		long ttl = Long.parseLong(reply.replaceAll(".*\\bt(-?\\d+).*", "$1"));
		// memcached converts an absolute expiry with its own clock, which ticks once a
		// second from its start and can run a few seconds behind the system's.
		assertThat(ttl).isBetween(Duration.ofDays(40).toSeconds() - 120, Duration.ofDays(40).toSeconds() + 5);
	}

	@Test
	void ttlFollowsTheSessionsExpiry() throws Exception {
		String key = newKey();
		Instant now = this.clock.instant();
		this.store
			.create(key,
					new SessionRecord(now, now, Duration.ofMinutes(30), now.plus(Duration.ofMinutes(10)), Map.of()))
			.block();
		String reply = MemcachedServerProcess.command(host(), port(), "mg " + this.prefix + key + " t");
		long ttl = Long.parseLong(reply.replaceAll(".*\\bt(-?\\d+).*", "$1"));
		assertThat(ttl).isBetween(590L, 601L);
	}

	@Test
	void everyKeyIsAValidMemcachedKey() {
		RandomSessionIdGenerator ids = new RandomSessionIdGenerator();
		for (int i = 0; i < 1000; i++) {
			String item = this.prefix + SessionKeys.hash(ids.generate());
			assertThat(item.length()).isLessThanOrEqualTo(250);
			assertThat(item.chars()).allMatch((c) -> c > 0x20 && c < 0x7f);
		}
		assertThatThrownBy(() -> MemcachedSessionStore.checkKeyPrefix("with space"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> MemcachedSessionStore.checkKeyPrefix("tab\t"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> MemcachedSessionStore.checkKeyPrefix("x".repeat(208)))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> MemcachedSessionStore.checkKeyPrefix("ünï"))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void valueNearTheItemSizeLimitIsStoredAndOneAboveIsRefusedWithoutTouchingTheSession() {
		String key = newKey();
		this.store.create(key, record(Map.of("small", bytes("1")))).block();
		byte[] almost = new byte[1000 * 1000];
		assertThat(this.store.update(key, delta(false, Map.of("big", almost), Set.of())).block()).isTrue();
		assertThat(load(key).getAttributes().get("big")).hasSize(almost.length);
		byte[] tooBig = new byte[1024 * 1024 + 1];
		assertThatThrownBy(() -> this.store.update(key, delta(false, Map.of("huge", tooBig), Set.of())).block())
			.isInstanceOf(SessionTooLargeException.class)
			.hasMessageContaining("item size limit");
		SessionRecord after = load(key);
		assertThat(after.getAttributes()).containsOnlyKeys("small", "big");
		String other = newKey();
		assertThatThrownBy(() -> this.store.create(other, record(Map.of("huge", tooBig))).block())
			.isInstanceOf(SessionTooLargeException.class);
		assertThat(this.store.load(other).blockOptional()).isEmpty();
	}

	private static String host() {
		return server.substring(0, server.lastIndexOf(':'));
	}

	private static int port() {
		return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
	}

}
