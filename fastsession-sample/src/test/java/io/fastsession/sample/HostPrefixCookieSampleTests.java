package io.fastsession.sample;

import io.fastsession.testing.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code __Host-} cookie prefix, the browser's defence against cookie tossing from
 * sibling subdomains: with {@code cookie.name: __Host-SESSION} and {@code secure: always}
 * the cookie is Secure, has path {@code /} and no domain, as browsers require for that
 * prefix, and the session works end to end.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "fastsession.cookie.name=__Host-SESSION", "fastsession.cookie.secure=always" })
class HostPrefixCookieSampleTests {

	@LocalServerPort
	int port;

	private ConnectionProvider pool;

	private WebTestClient client;

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
	void aHostPrefixedCookieCarriesTheSession() {
		EntityExchangeResult<byte[]> created = this.client.post()
			.uri("/api/counter")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"count\":1}")
			.returnResult();
		ResponseCookie cookie = created.getResponseCookies().getFirst("__Host-SESSION");
		assertThat(cookie).isNotNull();
		assertThat(cookie.isSecure()).isTrue();
		assertThat(cookie.getPath()).isEqualTo("/");
		assertThat(cookie.getDomain()).isNull();
		assertThat(created.getResponseHeaders().getFirst(HttpHeaders.SET_COOKIE)).startsWith("__Host-SESSION=")
			.doesNotContainIgnoringCase("domain=");
		this.client.post()
			.uri("/api/counter")
			.cookie("__Host-SESSION", cookie.getValue())
			.exchange()
			.expectBody()
			.json("{\"count\":2}");
		this.client.post()
			.uri("/api/logout")
			.cookie("__Host-SESSION", cookie.getValue())
			.exchange()
			.expectStatus()
			.isNoContent();
		this.client.get()
			.uri("/api/counter")
			.cookie("__Host-SESSION", cookie.getValue())
			.exchange()
			.expectBody()
			.json("{\"count\":0}");
	}

}
