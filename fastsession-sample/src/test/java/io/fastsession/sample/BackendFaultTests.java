package io.fastsession.sample;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestClients;
import io.fastsession.testing.TcpProxy;
import io.fastsession.testing.TestDatabases;
import io.fastsession.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backend faults under load, for every networked provider: the backend is reached through
 * a {@link TcpProxy} that this test cuts (every connection dropped, new ones refused: an
 * outage) and slows (every chunk delayed past the store timeout). While the fault lasts,
 * requests that need a session answer 503 within the store timeout and requests that
 * don't stay 200; afterwards the application recovers by itself and every session written
 * before the fault is still there. The application runs in this JVM, so BlockHound
 * watches its event loops throughout.
 */
@NeedsServer
class BackendFaultTests {

	private static final Duration STORE_TIMEOUT = Duration.ofMillis(500);

	/** The store timeout plus room for a loaded 2-core machine. */
	private static final Duration BOUND = STORE_TIMEOUT.plusMillis(2_500);

	private static final int SESSIONS = 16;

	static final TestDatabases.Isolated postgres = TestDatabases.postgres().isolate();

	static final TestDatabases.Isolated mysql = TestDatabases.mysql().isolate();

	@AfterAll
	static void dropDatabases() {
		postgres.close();
		mysql.close();
	}

	enum Backend {

		REDIS {
			@Override
			URI target() {
				return URI.create(TestServers.redisUrl());
			}

			@Override
			List<String> arguments(int proxyPort) {
				return List.of("--fastsession.provider=redis", "--spring.data.redis.url=redis://127.0.0.1:" + proxyPort,
						"--spring.data.redis.timeout=1s",
						"--fastsession.redis.key-prefix=fault-test:" + System.nanoTime() + ":");
			}
		},

		MEMCACHED {
			@Override
			URI target() {
				return URI.create("memcached://" + TestServers.memcachedServers().get(0));
			}

			@Override
			List<String> arguments(int proxyPort) {
				return List.of("--fastsession.provider=memcached",
						"--fastsession.memcached.servers=127.0.0.1:" + proxyPort,
						"--fastsession.memcached.node-failure=unavailable",
						"--fastsession.memcached.key-prefix=fault-test:" + System.nanoTime() + ":");
			}
		},

		POSTGRES {
			@Override
			URI target() {
				return URI.create(postgres.url().substring("jdbc:".length()));
			}

			@Override
			List<String> arguments(int proxyPort) {
				return List.of("--fastsession.provider=postgres",
						"--fastsession.jdbc.url=" + viaProxy(postgres.url(), proxyPort),
						"--fastsession.jdbc.username=" + postgres.server().user(),
						"--fastsession.jdbc.password=" + postgres.server().password());
			}
		},

		MYSQL {
			@Override
			URI target() {
				return URI.create(mysql.url().substring("jdbc:".length()));
			}

			@Override
			List<String> arguments(int proxyPort) {
				return List.of("--fastsession.provider=mysql",
						"--fastsession.jdbc.url=" + viaProxy(mysql.url(), proxyPort),
						"--fastsession.jdbc.username=" + mysql.server().user(),
						"--fastsession.jdbc.password=" + mysql.server().password());
			}
		};

		abstract URI target();

		abstract List<String> arguments(int proxyPort);

		static String viaProxy(String jdbcUrl, int proxyPort) {
			URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
			return jdbcUrl.replaceFirst("//" + uri.getHost() + ":" + uri.getPort(), "//127.0.0.1:" + proxyPort);
		}

	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void anOutageUnderLoadIsA503WithinTheBoundAndLosesNothing(Backend backend) throws Exception {
		URI target = backend.target();
		try (TcpProxy proxy = TcpProxy.start(target.getHost(), target.getPort());
				ConfigurableApplicationContext app = start(backend, proxy)) {
			WebTestClient client = client(app);
			Map<String, Integer> sessions = writeSessions(client);
			try (Load load = new Load(client, sessions)) {
				proxy.cut();
				assertDegraded(client, sessions);
				proxy.restore();
				awaitRecovery(client);
				assertThat(load.served()).isPositive();
			}
			assertNothingLost(client, sessions);
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void aSlowBackendIsA503WithinTheBoundAndLosesNothing(Backend backend) throws Exception {
		URI target = backend.target();
		try (TcpProxy proxy = TcpProxy.start(target.getHost(), target.getPort());
				ConfigurableApplicationContext app = start(backend, proxy)) {
			WebTestClient client = client(app);
			Map<String, Integer> sessions = writeSessions(client);
			proxy.setDelay(STORE_TIMEOUT.multipliedBy(4));
			assertDegraded(client, sessions);
			proxy.setDelay(Duration.ZERO);
			awaitRecovery(client);
			assertNothingLost(client, sessions);
		}
	}

	private static void assertDegraded(WebTestClient client, Map<String, Integer> sessions) {
		try {
			checkDegraded(client, sessions);
		}
		catch (IllegalStateException ex) {
			dumpThreads(ex);
			throw ex;
		}
	}

	private static void checkDegraded(WebTestClient client, Map<String, Integer> sessions) {
		String session = sessions.keySet().iterator().next();
		for (int i = 0; i < 3; i++) {
			long start = System.nanoTime();
			client.get()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered within the bound").isLessThan(BOUND);
			start = System.nanoTime();
			client.post().uri("/api/counter").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
			client.get().uri("/api/counter").exchange().expectStatus().isOk().expectBody().json("{\"count\":0}");
			client.get().uri("/").exchange().expectStatus().isOk();
		}
	}

	private static void awaitRecovery(WebTestClient client) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> client.post().uri("/api/counter").exchange().expectStatus().isOk());
	}

	private static Map<String, Integer> writeSessions(WebTestClient client) {
		Map<String, Integer> sessions = new ConcurrentHashMap<>();
		for (int i = 0; i < SESSIONS; i++) {
			FluxExchangeResult<Void> first = client.post()
				.uri("/api/counter")
				.exchange()
				.expectStatus()
				.isOk()
				.returnResult(Void.class);
			String session = first.getResponseCookies().getFirst("SESSION").getValue();
			for (int n = 2; n <= 3; n++) {
				client.post()
					.uri("/api/counter")
					.cookie("SESSION", session)
					.exchange()
					.expectBody()
					.json("{\"count\":" + n + "}");
			}
			sessions.put(session, 3);
		}
		return sessions;
	}

	/**
	 * Every session written before the fault holds at least what was acknowledged.
	 */
	private static void assertNothingLost(WebTestClient client, Map<String, Integer> sessions) {
		sessions.forEach((session, acknowledged) -> {
			Map<?, ?> body = client.get()
				.uri("/api/counter")
				.cookie("SESSION", session)
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.doesNotExist("Set-Cookie")
				.expectBody(Map.class)
				.returnResult()
				.getResponseBody();
			assertThat((Integer) body.get("count")).as("session %s", session).isGreaterThanOrEqualTo(acknowledged);
		});
	}

	private static ConfigurableApplicationContext start(Backend backend, TcpProxy proxy) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--fastsession.store-timeout=" + STORE_TIMEOUT.toMillis() + "ms"));
		arguments.addAll(backend.arguments(proxy.getPort()));
		return new SpringApplicationBuilder(SampleApplication.class).run(arguments.toArray(String[]::new));
	}

	private static WebTestClient client(ConfigurableApplicationContext app) {
		return TestClients.keepAlive(app);
	}

	private static void dumpThreads(Exception cause) {
		StringBuilder dump = new StringBuilder("Request failed (" + cause + "); threads:\n");
		Thread.getAllStackTraces().forEach((thread, stack) -> {
			dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
			for (StackTraceElement frame : stack) {
				dump.append("\tat ").append(frame).append('\n');
			}
		});
		System.out.println(dump);
	}

	/**
	 * Background traffic on the sessions for as long as it is open, counting what is
	 * served and acknowledging every successful write.
	 */
	private static final class Load implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger served = new AtomicInteger();

		private final ExecutorService executor = Executors.newFixedThreadPool(4);

		private final List<Future<?>> workers = new ArrayList<>();

		Load(WebTestClient client, Map<String, Integer> sessions) {
			List<String> ids = List.copyOf(sessions.keySet());
			for (int w = 0; w < 4; w++) {
				List<String> mine = ids.subList(w * ids.size() / 4, (w + 1) * ids.size() / 4);
				this.workers.add(this.executor.submit(() -> {
					while (this.running.get()) {
						for (String session : mine) {
							EntityExchangeResult<Map<String, Object>> result;
							try {
								result = client.post()
									.uri("/api/counter")
									.cookie("SESSION", session)
									.exchange()
									.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
									})
									.returnResult();
							}
							catch (IllegalStateException ex) {
								dumpThreads(ex);
								throw ex;
							}
							int status = result.getStatus().value();
							assertThat(status).isIn(200, 503);
							if (status == 200) {
								Map<String, Object> body = result.getResponseBody();
								sessions.merge(session, (Integer) body.get("count"), Math::max);
								this.served.incrementAndGet();
							}
						}
					}
					return null;
				}));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> this.served.get() >= 20);
		}

		int served() {
			return this.served.get();
		}

		@Override
		public void close() throws Exception {
			this.running.set(false);
			for (Future<?> worker : this.workers) {
				worker.get(60, TimeUnit.SECONDS);
			}
			this.executor.shutdownNow();
		}

	}

}
