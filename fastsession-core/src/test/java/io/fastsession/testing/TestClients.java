package io.fastsession.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * HTTP clients for tests of running applications: ordinary pooled keep-alive clients, as
 * browsers and services talk to an application. Each has a connection pool of its own, so
 * that no connection outlives the application it was opened to: a test that stops an
 * application disposes the pool with it.
 */
public final class TestClients {

	private static final Map<ConfigurableApplicationContext, WebTestClient> clients = new ConcurrentHashMap<>();

	private TestClients() {
	}

	/**
	 * Return a keep-alive client of a running application, whose pool is disposed when
	 * the application's context closes, before its server stops.
	 * @param app the application, with its server's port in {@code local.server.port}
	 * @return the client, the same for every call with that application
	 */
	public static WebTestClient keepAlive(ConfigurableApplicationContext app) {
		return clients.computeIfAbsent(app, (context) -> {
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			ConnectionProvider pool = pool();
			context.addApplicationListener((ApplicationListener<ContextClosedEvent>) (event) -> {
				clients.remove(context);
				pool.dispose();
			});
			return keepAlive(port, pool);
		});
	}

	/**
	 * Return a keep-alive client on a pool that the caller disposes.
	 * @param port the application's port on loopback
	 * @param pool the connection pool, from {@link #pool()}
	 * @return a client
	 */
	public static WebTestClient keepAlive(int port, ConnectionProvider pool) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(pool)))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * Return a new connection pool, large enough for the tests' concurrent requests.
	 * @return the pool
	 */
	public static ConnectionProvider pool() {
		return ConnectionProvider.builder("test-client").maxConnections(64).build();
	}

}
