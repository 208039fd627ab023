package io.fastsession.autoconfigure.firstrun;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.fastsession.testing.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What a new user meets first, in a running application reached over HTTP: settings
 * written as Spring Boot users write them, start-up reports for values that cannot work,
 * and the id of a session that was never created.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstRunTests {

	private final List<ConfigurableApplicationContext> running = new ArrayList<>();

	@AfterEach
	void stopApplications() {
		this.running.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void sameSiteWrittenInLowerCaseReachesTheCookie() {
		WebTestClient client = client(start("fastsession.cookie.same-site=lax"));
		EntityExchangeResult<String> result = client.post()
			.uri("/id")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		assertThat(result.getResponseBody()).isNotEmpty();
		assertThat(result.getResponseHeaders().getFirst("Set-Cookie")).contains("SameSite=Lax");
	}

	@Test
	void unknownSameSiteStopsStartUpWithBootsReport(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("fastsession.cookie.same-site=sometimes"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("fastsession.cookie.same-site")
			.contains("sometimes")
			.contains("Action:");
	}

	@Test
	void unknownProviderStopsStartUpWithBootsReport(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("fastsession.provider=mongodb"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("fastsession.provider")
			.contains("'mongodb' is not a session provider; use one of memory, file, redis, memcached, postgres,"
					+ " mysql, sqlite (aliases memcache (memcached) and sqlite3 (sqlite))");
	}

	@Test
	void theIdOfASessionThatHoldsNothingIsNeverSent() {
		WebTestClient client = client(start());
		EntityExchangeResult<String> read = client.get()
			.uri("/id")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		String id = read.getResponseBody();
		assertThat(id).isNotEmpty();
		assertThat(read.getResponseCookies()).doesNotContainKey("SESSION");
		// The id was never stored: a client that sends it gets a new session.
		String next = client.get()
			.uri("/id")
			.cookie("SESSION", id)
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(next).isNotEqualTo(id);
	}

	@Test
	void storingAnAttributeCreatesTheSessionAndSendsItsId() {
		assertTheIdIsSentAndHonoured(client(start()), HttpMethod.POST);
	}

	@Test
	void withoutLazyCreationEveryNewSessionIsCreatedAndSent() {
		assertTheIdIsSentAndHonoured(client(start("fastsession.lazy-create=false")), HttpMethod.GET);
	}

	/**
	 * Asks /id with the given method: the response must set the session cookie to the id
	 * the handler saw, and that cookie must bring the same session back.
	 */
	private static void assertTheIdIsSentAndHonoured(WebTestClient client, HttpMethod method) {
		EntityExchangeResult<String> first = client.method(method)
			.uri("/id")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		ResponseCookie cookie = first.getResponseCookies().getFirst("SESSION");
		assertThat(cookie).isNotNull();
		assertThat(cookie.getValue()).isEqualTo(first.getResponseBody());
		client.get()
			.uri("/id")
			.cookie("SESSION", cookie.getValue())
			.exchange()
			.expectBody(String.class)
			.isEqualTo(cookie.getValue());
	}

	private ConfigurableApplicationContext start(String... properties) {
		String[] args = Stream
			.concat(Stream.of("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"),
					Stream.of(properties).map((property) -> "--" + property))
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(FirstRunApplication.class).run(args);
		this.running.add(context);
		return context;
	}

	private static WebTestClient client(ConfigurableApplicationContext context) {
		return TestClients.keepAlive(context);
	}

}
