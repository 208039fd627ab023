package io.fastsession.store.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fastsession.MutableClock;
import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.RedisConnections;
import io.fastsession.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counts the commands a test-owned Redis server sees per request
 * ({@code INFO commandstats} after {@code CONFIG RESETSTAT}), separating the commands a
 * client sends (round trips) from those a script runs inside the server. These numbers
 * are quoted in docs/providers/redis.md.
 */
@NeedsServer
class RedisRoundTripTests {

	/** Commands the store sends; anything else in the stats ran inside a script. */
	private static final Set<String> CLIENT_COMMANDS = Set.of("hgetall", "evalsha", "eval", "del", "scan", "script");

	private static RedisServerProcess server;

	private static LettuceConnectionFactory connectionFactory;

	private final MutableClock clock = MutableClock.startingNow();

	private SessionManager manager;

	@BeforeAll
	static void startServer() throws IOException {
		server = RedisServerProcess.start();
		connectionFactory = RedisConnections.standalone(server.getUrl());
	}

	@AfterAll
	static void stopServer() {
		connectionFactory.destroy();
		server.close();
	}

	@BeforeEach
	void setUp() {
		this.manager = SessionManager.builder(new RedisSessionStore(connectionFactory, "fastsession:", this.clock))
			.clock(this.clock)
			.idleTimeout(Duration.ofMinutes(30))
			.touchThreshold(0.25)
			.build();
		// Load both scripts once, as a running application has.
		String client = write(null, "warm", 1);
		write(client, "warm", 2);
	}

	@Test
	void readWithoutCookieSendsNothing() throws IOException {
		Map<String, Long> stats = measure(() -> request(null));
		assertThat(stats).isEmpty();
	}

	@Test
	void newSessionIsOneScriptCall() throws IOException {
		Map<String, Long> stats = measure(() -> write(null, "count", 1));
		assertThat(roundTrips(stats)).isEqualTo(Map.of("evalsha", 1L));
		assertThat(stats).containsEntry("unlink", 1L).containsEntry("hset", 1L).containsEntry("pexpire", 1L);
	}

	@Test
	void readIsOneRoundTripAndWritesNothing() throws IOException {
		String client = write(null, "count", 1);
		Map<String, Long> stats = measure(() -> request(client));
		assertThat(stats).isEqualTo(Map.of("hgetall", 1L));
	}

	@Test
	void writeIsOneRoundTripAfterTheRead() throws IOException {
		String client = write(null, "count", 1);
		Map<String, Long> stats = measure(() -> write(client, "count", 2));
		assertThat(roundTrips(stats)).isEqualTo(Map.of("hgetall", 1L, "evalsha", 1L));
		assertThat(stats).containsEntry("type", 1L)
			.containsEntry("hmget", 1L)
			.containsEntry("hset", 1L)
			.containsEntry("pexpire", 1L);
	}

	@Test
	void unchangedSessionIsTouchedOnlyWhenDue() throws IOException {
		String client = write(null, "count", 1);
		this.clock.advance(Duration.ofMinutes(8));
		Map<String, Long> stats = measure(() -> request(client));
		assertThat(roundTrips(stats)).isEqualTo(Map.of("hgetall", 1L, "evalsha", 1L));
		stats = measure(() -> request(client));
		assertThat(stats).isEqualTo(Map.of("hgetall", 1L));
	}

	@Test
	void logoutIsAReadAndADelete() throws IOException {
		String client = write(null, "count", 1);
		Map<String, Long> stats = measure(() -> {
			Session session = this.manager.load(List.of(client)).block();
			session.invalidate();
			this.manager.commit(session).block();
		});
		assertThat(stats).isEqualTo(Map.of("hgetall", 1L, "del", 1L));
	}

	@Test
	void regenerateIsAReadAScriptAndADelete() throws IOException {
		String client = write(null, "count", 1);
		Map<String, Long> stats = measure(() -> {
			Session session = this.manager.load(List.of(client)).block();
			session.regenerateId();
			this.manager.commit(session).block();
		});
		assertThat(roundTrips(stats)).isEqualTo(Map.of("hgetall", 1L, "evalsha", 1L, "del", 1L));
		assertThat(stats).doesNotContainKey("rename");
	}

	private String write(String client, String name, Object value) {
		Session session = this.manager.load((client != null) ? List.of(client) : List.of()).block();
		session.set(name, value);
		String issued = this.manager.commit(session).block().getClientValue();
		return (issued != null) ? issued : client;
	}

	private void request(String client) {
		Session session = this.manager.load((client != null) ? List.of(client) : List.of()).block();
		session.get("count");
		this.manager.commit(session).block();
	}

	private static Map<String, Long> measure(Runnable request) throws IOException {
		server.command("CONFIG RESETSTAT");
		request.run();
		Map<String, Long> stats = commandStats();
		stats.remove("config|resetstat");
		return stats;
	}

	private static Map<String, Long> roundTrips(Map<String, Long> stats) {
		Map<String, Long> result = new TreeMap<>(stats);
		result.keySet().retainAll(CLIENT_COMMANDS);
		return result;
	}

	private static Map<String, Long> commandStats() throws IOException {
		Map<String, Long> stats = new TreeMap<>();
		Matcher matcher = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)")
			.matcher(server.command("INFO commandstats"));
		while (matcher.find()) {
			stats.put(matcher.group(1), Long.parseLong(matcher.group(2)));
		}
		return stats;
	}

}
