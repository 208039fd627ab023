package io.fastsession.sample;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * HTTP clients for tests that start and stop applications inside the test JVM.
 */
final class TestClients {

	private TestClients() {
	}

	/**
	 * A client that opens a connection per request. Reactor Netty's default pool is
	 * global to the JVM and shares event loops with the servers the tests start and stop;
	 * a pooled connection to an application that has gone can then sit unnoticed and make
	 * a later request wait for its timeout. Fresh connections keep every request
	 * independent of what ran before.
	 * @param port the application's port on loopback
	 * @return a client
	 */
	static WebTestClient unpooled(int port) {
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(http))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

}
