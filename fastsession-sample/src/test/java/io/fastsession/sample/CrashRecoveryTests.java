package io.fastsession.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the application in the middle of write-heavy load on the embedded persistent
 * providers, then a restart on the same data: every session must be readable and
 * consistent, holding at least every write that was acknowledged and at most the one
 * write per session that was in flight. A torn file or a half-applied transaction would
 * show up as a lost session, a lost write or an unreadable attribute.
 */
class CrashRecoveryTests {

	private static final int SESSIONS = 24;

	private static final int WRITERS = 8;

	private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

	private static final String PAYLOAD = "\"" + "x".repeat(4000) + "\"";

	@ParameterizedTest
	@ValueSource(strings = { "file", "sqlite" })
	void everySessionSurvivesAKillDuringWrites(String provider, @TempDir Path directory) throws Exception {
		List<String> arguments = List.of("--fastsession.provider=" + provider,
				"--fastsession.file.directory=" + directory.resolve("sessions"),
				"--fastsession.sqlite.path=" + directory.resolve("sessions.db"));
		Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
		List<String> sessions = new ArrayList<>();
		try (SampleProcess first = SampleProcess.start(arguments)) {
			for (int i = 0; i < SESSIONS; i++) {
				String session = sessionOf(send(first, "POST", "/api/counter", null, null));
				sessions.add(session);
				acknowledged.put(session, 1);
			}
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicBoolean killed = new AtomicBoolean();
			AtomicInteger writes = new AtomicInteger();
			ExecutorService executor = Executors.newFixedThreadPool(WRITERS);
			List<Future<?>> load = new ArrayList<>();
			for (int w = 0; w < WRITERS; w++) {
				List<String> mine = sessions.subList(w * SESSIONS / WRITERS, (w + 1) * SESSIONS / WRITERS);
				load.add(executor.submit(() -> {
					while (running.get()) {
						for (String session : mine) {
							try {
								send(first, "PUT", "/api/attributes/payload", session, PAYLOAD);
								RawHttp.Response response = send(first, "POST", "/api/counter", session, null);
								if (response.status() == 200) {
									acknowledged.put(session, count(response.body()));
									writes.incrementAndGet();
								}
							}
							catch (IOException ex) {
								if (!killed.get()) {
									throw ex;
								}
								// the application was killed under this request
								return null;
							}
						}
					}
					return null;
				}));
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			while (writes.get() < 300) {
				assertThat(System.nanoTime()).as("300 writes before the deadline").isLessThan(deadline);
				assertThat(load).noneMatch(Future::isDone);
				Thread.sleep(20);
			}
			killed.set(true);
			first.kill();
			running.set(false);
			for (Future<?> writer : load) {
				writer.get(60, TimeUnit.SECONDS);
			}
			executor.shutdownNow();
		}
		try (SampleProcess second = SampleProcess.start(arguments)) {
			for (String session : sessions) {
				RawHttp.Response counter = send(second, "GET", "/api/counter", session, null);
				assertThat(counter.status()).isEqualTo(200);
				assertThat(counter.header("Set-Cookie")).as("session %s was lost", session).isEmpty();
				int acked = acknowledged.get(session);
				assertThat(count(counter.body())).as("count of a session after the crash").isBetween(acked, acked + 1);
				RawHttp.Response payload = send(second, "GET", "/api/attributes/payload", session, null);
				assertThat(payload.status()).isEqualTo(200);
				assertThat(payload.body()).isEqualTo(PAYLOAD);
			}
			if (provider.equals("file")) {
				try (var files = Files.walk(directory.resolve("sessions"))) {
					assertThat(files.filter(Files::isRegularFile)
						.filter((file) -> file.getFileName().toString().endsWith(".session"))).hasSize(SESSIONS);
				}
			}
		}
	}

	private static RawHttp.Response send(SampleProcess sample, String method, String path, String session, String json)
			throws IOException {
		return RawHttp.send(sample.port(), method, path,
				(session != null) ? session.getBytes(StandardCharsets.US_ASCII) : null,
				(json != null) ? json.getBytes(StandardCharsets.UTF_8) : new byte[0]);
	}

	private static String sessionOf(RawHttp.Response response) {
		String cookie = response.header("Set-Cookie").get(0);
		return cookie.substring("SESSION=".length(), cookie.indexOf(';'));
	}

	private static int count(String body) {
		Matcher matcher = COUNT.matcher(body);
		assertThat(matcher.find()).as("count in %s", body).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

}
