package io.fastsession.sample;

import io.fastsession.testing.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's Actuator in its "ops" profile: the session store in the health report,
 * fastsession's metrics, and the endpoint that finds and revokes a user's sessions, all
 * on a management port bound to loopback and none of them but health on the
 * application's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@ActiveProfiles("ops")
class ActuatorSampleTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	/** The application's port. */
	WebTestClient client;

	/** The management port. */
	WebTestClient management;

	private ConnectionProvider pool;

	@BeforeEach
	void setUpClient() {
		this.pool = TestClients.pool();
		this.client = TestClients.keepAlive(this.port, this.pool);
		this.management = TestClients.keepAlive(this.managementPort, this.pool);
	}

	@Test
	void theApplicationsPortExposesNoActuatorEndpoint() {
		this.client.get().uri("/actuator/fastsession?username=alice").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/metrics").exchange().expectStatus().isNotFound();
		this.management.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@AfterEach
	void disposeClient() {
		this.pool.dispose();
	}

	@Test
	void healthShowsTheSessionStore() {
		this.management.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.fastsession.status")
			.isEqualTo("UP");
	}

	@Test
	void metricsListFastsessionsMeters() {
		this.client.post().uri("/api/counter").exchange().expectStatus().isOk();
		this.management.get()
			.uri("/actuator/metrics")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("fastsession.sessions.created")
				.contains("fastsession.store.operations")
				.contains("fastsession.ids.rejected"));
		this.management.get()
			.uri("/actuator/metrics/fastsession.store.operations?tag=operation:create")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void endpointFindsAndRevokesAUsersSessions() {
		String user = "carol-" + System.nanoTime();
		String session = this.client.post()
			.uri("/api/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\":\"" + user + "\"}")
			.exchange()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION")
			.getValue();
		this.management.get()
			.uri("/actuator/fastsession?username={user}", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sessions.length()")
			.isEqualTo(1)
			.jsonPath("$.sessions[0].principal")
			.isEqualTo(user)
			.consumeWith((result) -> assertThat(new String(result.getResponseBody())).doesNotContain(session));
		this.management.delete()
			.uri("/actuator/fastsession?username={user}", user)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.revoked")
			.isEqualTo(1);
		this.client.get().uri("/api/attributes/user").cookie("SESSION", session).exchange().expectStatus().isNotFound();
	}

}
