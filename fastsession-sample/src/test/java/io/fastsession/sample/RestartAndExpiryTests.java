package io.fastsession.sample;

import java.nio.file.Path;
import java.time.Duration;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestClients;
import io.fastsession.testing.TestDatabases;
import io.fastsession.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample started by flags alone, as a user would: sessions on the file provider
 * survive a restart, and {@code --fastsession.timeout} expires idle sessions.
 */
class RestartAndExpiryTests {

	@Test
	void fileSessionsSurviveARestart(@TempDir Path directory) {
		String[] args = { "--server.port=0", "--fastsession.provider=file",
				"--fastsession.file.directory=" + directory };
		String session;
		try (ConfigurableApplicationContext first = start(args)) {
			WebTestClient client = client(first);
			session = client.post()
				.uri("/api/counter")
				.exchange()
				.returnResult(Void.class)
				.getResponseCookies()
				.getFirst("SESSION")
				.getValue();
			client.post().uri("/api/counter").cookie("SESSION", session).exchange().expectBody().json("{\"count\":2}");
		}
		try (ConfigurableApplicationContext second = start(args)) {
			client(second).get()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectBody()
				.json("{\"count\":2}");
		}
	}

	@Test
	void sqliteSessionsSurviveARestart(@TempDir Path directory) {
		assertSurvivesRestart("--server.port=0", "--fastsession.provider=sqlite",
				"--fastsession.sqlite.path=" + directory.resolve("sessions.db"));
	}

	@Test
	@NeedsServer
	void postgresSessionsSurviveARestart() {
		try (TestDatabases.Isolated database = TestDatabases.postgres().isolate()) {
			assertSurvivesRestart("--server.port=0", "--fastsession.provider=postgres",
					"--fastsession.jdbc.url=" + database.url(),
					"--fastsession.jdbc.username=" + database.server().user(),
					"--fastsession.jdbc.password=" + database.server().password());
		}
	}

	@Test
	@NeedsServer
	void memcachedSessionsSurviveARestart() {
		assertSurvivesRestart("--server.port=0", "--fastsession.provider=memcached",
				"--fastsession.memcached.servers=" + TestServers.memcachedServers().get(0));
	}

	private static void assertSurvivesRestart(String... args) {
		String session;
		try (ConfigurableApplicationContext first = start(args)) {
			session = client(first).post()
				.uri("/api/counter")
				.exchange()
				.returnResult(Void.class)
				.getResponseCookies()
				.getFirst("SESSION")
				.getValue();
		}
		try (ConfigurableApplicationContext second = start(args)) {
			client(second).get()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectBody()
				.json("{\"count\":1}");
		}
	}

	@Test
	void idleSessionsExpire() {
		try (ConfigurableApplicationContext context = start("--server.port=0", "--fastsession.timeout=2s")) {
			WebTestClient client = client(context);
			String session = client.post()
				.uri("/api/counter")
				.exchange()
				.returnResult(Void.class)
				.getResponseCookies()
				.getFirst("SESSION")
				.getValue();
			client.get().uri("/api/counter").cookie("SESSION", session).exchange().expectBody().json("{\"count\":1}");
			// Every poll is activity that extends the session, so polls are spaced wider
			// than the
			// idle timeout.
			await().pollDelay(Duration.ofMillis(2200))
				.pollInterval(Duration.ofMillis(2500))
				.atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> client.get()
					.uri("/api/counter")
					.cookie("SESSION", session)
					.exchange()
					.expectBody()
					.json("{\"count\":0}"));
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(SampleApplication.class).run(args);
	}

	private static WebTestClient client(ConfigurableApplicationContext context) {
		return TestClients.keepAlive(context);
	}

}
