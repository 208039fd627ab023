package io.fastsession.sample;

import java.io.IOException;
import java.net.ServerSocket;

import io.fastsession.testing.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sample on its default provider, memory, on a machine where no Redis runs: its
 * health is UP and shows only what the provider in use needs, although the sample carries
 * the Redis client (pointed here at a loopback port where nothing listens).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class HealthWithoutRedisSampleTests {

	@LocalServerPort
	int port;

	private ConnectionProvider pool;

	private WebTestClient client;

	@DynamicPropertySource
	static void noRedis(DynamicPropertyRegistry registry) throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + closed);
	}

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
	void healthIsUpOnTheMemoryProviderWithoutRedis() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.fastsession.status")
			.isEqualTo("UP")
			.jsonPath("$.components.redis")
			.doesNotExist();
	}

}
