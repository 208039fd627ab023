package io.fastsession.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
abstract class SampleContractTests {

	static final String COOKIE = "SESSION";

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void setUpClient() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
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
