package io.fastsession.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestClients;
import io.fastsession.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on a Redis server owned by this test, started by flags alone: commands per
 * HTTP request, survival across an application restart, and an outage in the middle of a
 * run.
 */
@NeedsServer
class RedisServerSampleTests {

	static RedisServerProcess server;

	@BeforeAll
	static void startServer() throws IOException {
		server = RedisServerProcess.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void readIsOneCommandAndWriteIsTwo() throws IOException {
		try (ConfigurableApplicationContext app = start()) {
			WebTestClient client = client(app);
			String session = newSession(client);
			client.post().uri("/api/counter").cookie("SESSION", session).exchange().expectStatus().isOk();
			server.command("CONFIG RESETSTAT");
			client.get().uri("/api/counter").cookie("SESSION", session).exchange().expectBody().json("{\"count\":2}");
			assertThat(roundTrips()).isEqualTo(Map.of("hgetall", 1L));
			server.command("CONFIG RESETSTAT");
			client.post().uri("/api/counter").cookie("SESSION", session).exchange().expectBody().json("{\"count\":3}");
			assertThat(roundTrips()).isEqualTo(Map.of("hgetall", 1L, "evalsha", 1L));
			server.command("CONFIG RESETSTAT");
			client.get().uri("/api/counter").exchange().expectBody().json("{\"count\":0}");
			assertThat(roundTrips()).isEmpty();
		}
	}

	@Test
	void sessionsSurviveAnApplicationRestart() {
		String session;
		try (ConfigurableApplicationContext app = start()) {
			session = newSession(client(app));
		}
		try (ConfigurableApplicationContext app = start()) {
			client(app).get()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectBody()
				.json("{\"count\":1}");
		}
	}

	@Test
	void outageIsA503WithinTheStoreTimeoutAndRecoveryIsAutomatic() throws IOException {
		try (ConfigurableApplicationContext app = start("--fastsession.store-timeout=500ms")) {
			WebTestClient client = client(app);
			String session = newSession(client);
			server.stop();
			try {
				client.get()
					.uri("/api/counter")
					.cookie("SESSION", session)
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				client.post().uri("/api/counter").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				client.get().uri("/api/counter").exchange().expectStatus().isOk().expectBody().json("{\"count\":0}");
				client.get().uri("/").exchange().expectStatus().isOk();
				client.get()
					.uri("/actuator/health")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectBody()
					.jsonPath("$.components.fastsession.status")
					.isEqualTo("DOWN");
			}
			finally {
				server.startAgain();
			}
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> client.post().uri("/api/counter").exchange().expectStatus().isOk());
		}
	}

	@Test
	void twoInstancesOnOneRedisShareSessions() {
		try (ConfigurableApplicationContext first = start(); ConfigurableApplicationContext second = start()) {
			String session = newSession(client(first));
			client(second).post()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectBody()
				.json("{\"count\":2}");
			client(first).get()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectBody()
				.json("{\"count\":2}");
			client(second).post().uri("/api/logout").cookie("SESSION", session).exchange().expectStatus().isNoContent();
			client(first).get()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectBody()
				.json("{\"count\":0}");
		}
	}

	private static ConfigurableApplicationContext start(String... extra) {
		String[] args = { "--server.port=0", "--fastsession.provider=redis",
				"--spring.data.redis.url=" + server.getUrl() };
		String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(extra))
			.toArray(String[]::new);
		return new SpringApplicationBuilder(SampleApplication.class).run(all);
	}

	private static WebTestClient client(ConfigurableApplicationContext app) {
		return TestClients.keepAlive(app);
	}

	private static String newSession(WebTestClient client) {
		return client.post()
			.uri("/api/counter")
			.exchange()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION")
			.getValue();
	}

	/**
	 * Commands sent by clients since the last reset; those run by scripts inside the
	 * server (hset, pexpire, ...) are not round trips and are left out.
	 */
	private static Map<String, Long> roundTrips() throws IOException {
		Map<String, Long> stats = new TreeMap<>();
		Matcher matcher = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)")
			.matcher(server.command("INFO commandstats"));
		while (matcher.find()) {
			String command = matcher.group(1);
			if (java.util.Set.of("hgetall", "evalsha", "eval", "del", "scan").contains(command)) {
				stats.put(command, Long.parseLong(matcher.group(2)));
			}
		}
		return stats;
	}

}
