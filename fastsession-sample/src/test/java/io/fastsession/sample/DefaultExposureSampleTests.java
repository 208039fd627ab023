package io.fastsession.sample;

import io.fastsession.testing.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sample as it starts by default exposes health and nothing else: the sessions
 * endpoint lists and revokes users' sessions and must not be open to anyone.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DefaultExposureSampleTests {

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
	void onlyHealthIsExposed() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/fastsession?username=alice").exchange().expectStatus().isNotFound();
		this.client.delete().uri("/actuator/fastsession?username=alice").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/metrics").exchange().expectStatus().isNotFound();
	}

}
