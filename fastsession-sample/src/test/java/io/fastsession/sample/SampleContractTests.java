package io.fastsession.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fastsession.SessionManager;
import io.fastsession.id.SessionKeys;
import io.fastsession.testing.KeepAliveClient;
import io.fastsession.testing.TestClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's HTTP contract (DESIGN.md), exercised over real HTTP against the running
 * application so that BlockHound watches the Netty event loops. Each provider's test
 * extends this class.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class SampleContractTests {

	static final String COOKIE = "SESSION";

	@LocalServerPort
	int port;

	WebTestClient client;

	private ConnectionProvider pool;

	/** How much longer than the store timeout a request may take to be answered. */
	static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);

	@Autowired
	MeterRegistry registry;

	@Autowired
	SessionManager manager;

	@BeforeEach
	void setUpClient() {
		this.pool = TestClients.pool();
		this.client = TestClients.keepAlive(this.port, this.pool);
	}

	@AfterEach
	void disposeClient() {
		this.pool.dispose();
	}

	@Test
	void readWithoutCookieIsZeroAndCreatesNoSession() {
		this.client.get()
			.uri("/api/counter")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody()
			.json("{\"count\":0}");
		this.client.get()
			.uri("/api/attributes")
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody()
			.json("{}");
	}

	@Test
	void counterIncrementsInTheSession() {
		EntityExchangeResult<byte[]> first = this.client.post()
			.uri("/api/counter")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"count\":1}")
			.returnResult();
		ResponseCookie cookie = first.getResponseCookies().getFirst(COOKIE);
		assertThat(cookie).isNotNull();
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
		assertThat(cookie.getPath()).isEqualTo("/");
		assertThat(cookie.getMaxAge().isNegative()).as("browser-session cookie").isTrue();
		assertThat(first.getResponseHeaders().getCacheControl()).contains("no-store");
		String session = cookie.getValue();
		post("/api/counter", session).expectBody().json("{\"count\":2}");
		this.client.get()
			.uri("/api/counter")
			.cookie(COOKIE, session)
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody()
			.json("{\"count\":2}");
	}

	@Test
	void attributesCanBeSetReadRemovedAndCleared() {
		String session = cookieOf(put("/api/attributes/color", null, "\"blue\"").expectStatus().isNoContent());
		put("/api/attributes/prefs", session, "{\"theme\":\"dark\",\"size\":3,\"tags\":[\"a\",\"b\"]}").expectStatus()
			.isNoContent();
		get("/api/attributes/color", session).expectStatus().isOk().expectBody().json("\"blue\"");
		get("/api/attributes/prefs", session).expectBody()
			.json("{\"theme\":\"dark\",\"size\":3,\"tags\":[\"a\",\"b\"]}");
		get("/api/attributes", session).expectBody()
			.json("{\"color\":\"blue\",\"prefs\":{\"theme\":\"dark\",\"size\":3,\"tags\":[\"a\",\"b\"]}}");
		delete("/api/attributes/color", session).expectStatus().isNoContent();
		get("/api/attributes/color", session).expectStatus().isNotFound();
		get("/api/attributes/missing", session).expectStatus().isNotFound();
		delete("/api/attributes", session).expectStatus().isNoContent();
		get("/api/attributes", session).expectBody().json("{}");
	}

	@Test
	void loginRegeneratesTheIdKeepsTheDataAndKillsTheOldId() {
		String before = cookieOf(post("/api/counter", null));
		post("/api/counter", before);
		EntityExchangeResult<byte[]> login = this.client.post()
			.uri("/api/login")
			.cookie(COOKIE, before)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\":\"alice\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"user\":\"alice\"}")
			.returnResult();
		String after = login.getResponseCookies().getFirst(COOKIE).getValue();
		assertThat(after).isNotEqualTo(before);
		get("/api/counter", after).expectBody().json("{\"count\":2}");
		get("/api/attributes", after).expectBody().json("{\"count\":2,\"user\":\"alice\"}");
		get("/api/counter", before).expectBody().json("{\"count\":0}");
	}

	@Test
	void logoutExpiresTheCookieAndALaterWriteCannotResurrect() {
		String session = cookieOf(put("/api/attributes/user", null, "\"alice\""));
		ResponseCookie expired = post("/api/logout", session).expectStatus()
			.isNoContent()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst(COOKIE);
		assertThat(expired.getMaxAge()).isZero();
		assertThat(expired.getValue()).isEmpty();
		String fresh = cookieOf(put("/api/attributes/late", session, "\"write\""));
		assertThat(fresh).isNotEqualTo(session);
		get("/api/attributes", session).expectBody().json("{}");
		get("/api/attributes", fresh).expectBody().json("{\"late\":\"write\"}");
	}

	@Test
	void hostileIdsAreNeverAdoptedAndNeverA5xx() {
		List<String> hostile = List.of("../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "a".repeat(6000),
				"\"quoted\"", "ünïcödé", "x", "", "%00%00", "' OR '1'='1", "*", "fastsession:*",
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		for (String value : hostile) {
			this.client.get()
				.uri("/api/counter")
				.header(HttpHeaders.COOKIE, COOKIE + "=" + value)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.json("{\"count\":0}");
			EntityExchangeResult<byte[]> written = this.client.post()
				.uri("/api/counter")
				.header(HttpHeaders.COOKIE, COOKIE + "=" + value)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.json("{\"count\":1}")
				.returnResult();
			String issued = written.getResponseCookies().getFirst(COOKIE).getValue();
			assertThat(issued).as("id issued for %s", value).isNotEqualTo(value).matches("[A-Za-z0-9_-]{43}");
		}
	}

	/**
	 * Ten thousand malformed ids, sent as raw bytes: none costs a store lookup, none gets
	 * a 5xx, none is adopted. Every tenth is sent with a write, which must issue a fresh
	 * server-generated id.
	 */
	@Test
	void tenThousandHostileIdsCostNoStoreLookupAndAreNeverAdopted() throws Exception {
		List<byte[]> values = HostileIds.generate(10_000, 20261127L);
		double loadsBefore = storeCalls("load");
		double rejectedBefore = counter("fastsession.ids.rejected");
		ExecutorService executor = Executors.newFixedThreadPool(8);
		AtomicInteger reachedTheApplication = new AtomicInteger();
		try {
			List<Future<?>> results = new ArrayList<>();
			for (int i = 0; i < values.size(); i++) {
				byte[] value = values.get(i);
				boolean write = i % 10 == 0;
				results.add(executor.submit(() -> {
					RawHttp.Response response = RawHttp.send(this.port, write ? "POST" : "GET", "/api/counter", value);
					String shown = new String(value, StandardCharsets.ISO_8859_1);
					assertThat(response.status()).as("status for %s", shown).isLessThan(500);
					if (response.status() == 200) {
						reachedTheApplication.incrementAndGet();
						assertThat(response.body()).isEqualTo(write ? "{\"count\":1}" : "{\"count\":0}");
						List<String> cookies = response.header("Set-Cookie");
						if (write) {
							assertThat(cookies).singleElement().satisfies((cookie) -> {
								String issued = cookie.substring(COOKIE.length() + 1, cookie.indexOf(';'));
								assertThat(issued).matches(HostileIds.WELL_FORMED).isNotEqualTo(shown);
							});
						}
						else {
							assertThat(cookies).as("no session for a read").isEmpty();
						}
					}
					return null;
				}));
			}
			for (Future<?> result : results) {
				result.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(reachedTheApplication.get()).as("most values are valid HTTP").isGreaterThan(values.size() / 2);
		assertThat(storeCalls("load") - loadsBefore).as("store lookups").isZero();
		// Values the server's cookie decoder drops never reach fastsession at all; the
		// rest were each rejected.
		assertThat(counter("fastsession.ids.rejected") - rejectedBefore).isGreaterThan(values.size() / 10);
		afterHostileIds();
	}

	/**
	 * Checks after the hostile-id run, for providers with something more to check.
	 */
	void afterHostileIds() throws Exception {
	}

	/**
	 * Damage the stored session behind a key, or abort the test for a provider that keeps
	 * nothing outside the application that could be damaged.
	 */
	void damage(String key, StoredSessionDamage damage) throws Exception {
		Assumptions.abort("the memory provider keeps sessions as objects inside the application");
	}

	@ParameterizedTest
	@EnumSource(StoredSessionDamage.class)
	void aDamagedStoredSessionGivesAFreshSessionAndALogLineWithoutTheId(StoredSessionDamage damage,
			CapturedOutput output) throws Exception {
		String session = cookieOf(put("/api/attributes/user", null, "{\"name\":\"alice\"}"));
		damage(SessionKeys.hash(session), damage);
		get("/api/attributes", session).expectStatus().isOk().expectBody().json("{}");
		EntityExchangeResult<byte[]> write = post("/api/counter", session).expectStatus()
			.isOk()
			.expectBody()
			.json("{\"count\":1}")
			.returnResult();
		assertThat(write.getResponseCookies().getFirst(COOKIE).getValue()).isNotEqualTo(session);
		assertThat(output.getAll()).contains("Dropped").doesNotContain(session);
	}

	@Test
	void anAttributeOfTheWrongTypeGivesAFreshSessionNotAnError() {
		String session = cookieOf(put("/api/attributes/count", null, "\"not a number\""));
		String fresh = post("/api/counter", session).expectStatus()
			.isOk()
			.expectBody()
			.json("{\"count\":1}")
			.returnResult()
			.getResponseCookies()
			.getFirst(COOKIE)
			.getValue();
		assertThat(fresh).isNotEqualTo(session);
		get("/api/attributes", fresh).expectBody().json("{\"count\":1}");
	}

	@Test
	void logoutRacingWithWritesNeverLeavesTheSessionAlive() {
		String session = cookieOf(put("/api/attributes/user", null, "\"alice\""));
		List<CompletableFuture<Void>> requests = new ArrayList<>();
		for (int i = 0; i < 33; i++) {
			int index = i;
			requests.add(CompletableFuture.runAsync(() -> {
				if (index == 16) {
					post("/api/logout", session).expectStatus().isNoContent();
				}
				else {
					put("/api/attributes/writer" + index, session, "1").expectStatus().isNoContent();
				}
			}));
		}
		CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
		get("/api/attributes", session).expectHeader().doesNotExist(HttpHeaders.SET_COOKIE).expectBody().json("{}");
	}

	double storeCalls(String operation) {
		return this.registry.find("fastsession.store.operations")
			.tag("operation", operation)
			.timers()
			.stream()
			.mapToDouble(Timer::count)
			.sum();
	}

	double counter(String name) {
		return this.registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	@Test
	void concurrentWritersToOneSessionAreAllKept() {
		String session = cookieOf(post("/api/counter", null));
		List<CompletableFuture<Void>> writes = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			int index = i;
			writes.add(CompletableFuture
				.runAsync(() -> put("/api/attributes/writer" + index, session, Integer.toString(index)).expectStatus()
					.isNoContent()));
		}
		CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
		Map<String, Object> attributes = get("/api/attributes", session).expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		for (int i = 0; i < 32; i++) {
			assertThat(attributes).containsEntry("writer" + i, i);
		}
		assertThat(attributes).containsEntry("count", 1);
	}

	@Test
	void badInputIsA400() {
		this.client.post()
			.uri("/api/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\":\"  \"}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		put("/api/attributes/" + "x".repeat(201), null, "1").expectStatus().isBadRequest();
		put("/api/attributes/broken", null, "{not json").expectStatus().isBadRequest();
	}

	@Test
	void webFluxsSessionApiSeesTheSameSession() {
		this.client.get()
			.uri("/api/session")
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody()
			.json("{\"sessionAttributeCount\":0,\"sameSession\":true,\"new\":true}");
		String session = cookieOf(post("/api/counter", null));
		post("/api/counter", session);
		get("/api/session", session).expectBody()
			.json("{\"sessionAttributeCount\":2,\"webSessionAttributes\":[\"count\"],\"sameSession\":true,"
					+ "\"new\":false}");
	}

	/**
	 * Requests on one reused connection, as browsers, curl and proxies send them: every
	 * one is answered within the store timeout and a margin, and the connection stays
	 * usable. Reactor Netty 1.3.6 and 1.3.7 lose the read on a keep-alive connection when
	 * a response is finished from a thread other than the connection's event loop; this
	 * test found that on every asynchronous provider.
	 */
	@Test
	void twoThousandMixedRequestsOnOneKeepAliveConnectionAreAllAnswered() throws IOException {
		try (KeepAliveClient connection = new KeepAliveClient(this.port, answerBound())) {
			KeepAliveVisitor visitor = new KeepAliveVisitor(connection, "solo");
			for (int step = 0; step < 2_000; step++) {
				visitor.step(step);
			}
		}
	}

	@Test
	void thirtyTwoKeepAliveConnectionsAtOnceAreAllAnswered() throws Exception {
		int connections = 32;
		long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		ExecutorService executor = Executors.newFixedThreadPool(connections);
		try {
			List<Future<Integer>> visitors = new ArrayList<>();
			for (int i = 0; i < connections; i++) {
				String name = "visitor" + i;
				visitors.add(executor.submit(() -> {
					try (KeepAliveClient connection = new KeepAliveClient(this.port, answerBound())) {
						KeepAliveVisitor visitor = new KeepAliveVisitor(connection, name);
						int step = 0;
						while (System.nanoTime() < end || step % KeepAliveVisitor.CYCLE != 0) {
							visitor.step(step++);
						}
						return step;
					}
				}));
			}
			for (Future<Integer> visitor : visitors) {
				assertThat(visitor.get(60, TimeUnit.SECONDS)).as("requests answered on one connection")
					.isGreaterThanOrEqualTo(KeepAliveVisitor.CYCLE);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	Duration answerBound() {
		return this.manager.getStoreTimeout().plus(ANSWER_MARGIN);
	}

	/**
	 * A client that writes its own data into its session cannot grow it without bound:
	 * past the session size limit (1 MB by default) a write is answered with 507, and the
	 * session keeps what it had.
	 */
	@Test
	void aSessionGrownPastItsSizeLimitIs507AndKeepsWhatItHad() {
		String big = "\"" + "x".repeat(240 * 1024) + "\"";
		String session = cookieOf(put("/api/attributes/a1", null, big).expectStatus().isNoContent());
		for (int i = 2; i <= 4; i++) {
			put("/api/attributes/a" + i, session, big).expectStatus().isNoContent();
		}
		put("/api/attributes/a5", session, big).expectStatus().isEqualTo(507);
		get("/api/attributes/a4", session).expectStatus().isOk();
		get("/api/attributes/a5", session).expectStatus().isNotFound();
		delete("/api/attributes/a4", session).expectStatus().isNoContent();
		put("/api/attributes/a5", session, big).expectStatus().isNoContent();
	}

	@Test
	void htmlPageIsServed() {
		this.client.get()
			.uri("/")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody(String.class)
			.value((html) -> assertThat(html).contains("fastsession sample")
				.contains("/api/counter")
				.contains("/api/session"));
	}

	WebTestClient.ResponseSpec get(String path, String session) {
		return this.client.get().uri(path).cookie(COOKIE, session).exchange();
	}

	WebTestClient.ResponseSpec post(String path, String session) {
		WebTestClient.RequestBodySpec spec = this.client.post().uri(path);
		if (session != null) {
			spec.cookie(COOKIE, session);
		}
		return spec.exchange();
	}

	WebTestClient.ResponseSpec put(String path, String session, String json) {
		WebTestClient.RequestBodySpec spec = this.client.put().uri(path).contentType(MediaType.APPLICATION_JSON);
		if (session != null) {
			spec.cookie(COOKIE, session);
		}
		return spec.bodyValue(json).exchange();
	}

	WebTestClient.ResponseSpec delete(String path, String session) {
		return this.client.delete().uri(path).cookie(COOKIE, session).exchange();
	}

	static String cookieOf(WebTestClient.ResponseSpec response) {
		ResponseCookie cookie = response.returnResult(Void.class).getResponseCookies().getFirst(COOKIE);
		assertThat(cookie).as("session cookie").isNotNull();
		return cookie.getValue();
	}

}
