package io.fastsession.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.autoconfigure.FastSessionAutoConfiguration;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FastSessionActuatorAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FastSessionAutoConfiguration.class,
				FastSessionActuatorAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("management.endpoints.web.exposure.include=fastsession");

	@Test
	void healthIsUpWhenTheStoreAnswers() {
		this.runner.run((context) -> {
			Health health = context.getBean(FastSessionHealthIndicator.class).health(true).block();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("provider", "memory");
		});
	}

	@Test
	void healthIsDownWhenTheStoreFails() {
		this.runner.withBean(SessionStore.class, DownStore::new).run((context) -> {
			Health health = context.getBean(FastSessionHealthIndicator.class).health(true).block();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void metricsCountLifecycleEventsAndTimeStoreCalls() {
		this.runner.withPropertyValues("fastsession.cleanup-interval=200ms").run((context) -> {
			SessionManager manager = context.getBean(SessionManager.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Session session = manager.createSession();
			session.set("user", "alice");
			String client = manager.commit(session).block().getClientValue();
			manager.load(List.of("forged")).block();
			manager.load(List.of(client)).block();
			assertThat(registry.get("fastsession.sessions.created").tag("provider", "memory").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("fastsession.ids.rejected").counter().count()).isEqualTo(1);
			assertThat(registry.get("fastsession.store.operations")
				.tag("operation", "create")
				.tag("outcome", "success")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.get("fastsession.store.operations").tag("operation", "load").timer().count())
				.isEqualTo(1);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(registry.get("fastsession.sessions.active").gauge().value()).isEqualTo(1));
		});
	}

	@Test
	void endpointFindsAndRevokesAUsersSessions() {
		this.runner.run((context) -> {
			SessionManager manager = context.getBean(SessionManager.class);
			for (int i = 0; i < 2; i++) {
				Session session = manager.createSession();
				session.set(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, "alice");
				manager.commit(session).block();
			}
			FastSessionEndpoint endpoint = context.getBean(FastSessionEndpoint.class);
			WebEndpointResponse<Object> found = endpoint.sessionsOf("alice").block();
			assertThat(found.getStatus()).isEqualTo(200);
			@SuppressWarnings("unchecked")
			List<Object> sessions = (List<Object>) ((Map<String, Object>) found.getBody()).get("sessions");
			assertThat(sessions).hasSize(2);
			assertThat(found.getBody().toString()).doesNotContain(manager.createSession().getId());
			WebEndpointResponse<Object> revoked = endpoint.revokeAllOf("alice").block();
			assertThat(revoked.getBody()).isEqualTo(Map.of("username", "alice", "revoked", 2L));
			assertThat(endpoint.revoke("not-a-key").block().getStatus()).isEqualTo(404);
		});
	}

	@Test
	void endpointIsAbsentUnlessExposed() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FastSessionAutoConfiguration.class,
					FastSessionActuatorAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(FastSessionEndpoint.class)
				.hasSingleBean(FastSessionHealthIndicator.class));
	}

	@Test
	void theMetricsListenerAndTheGaugeCanBeReplaced() {
		this.runner
			.withBean("myMetrics", MicrometerSessionListener.class,
					() -> new MicrometerSessionListener(new SimpleMeterRegistry(), "mine"))
			.withBean("fastSessionActiveSessionsGauge", String.class, () -> "the application's own")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(MicrometerSessionListener.class)
					.doesNotHaveBean(ActiveSessionsGauge.class);
				assertThat(context.getBean(MicrometerSessionListener.class)).isSameAs(context.getBean("myMetrics"));
			});
	}

	static final class DownStore implements SessionStore {

		@Override
		public Mono<SessionRecord> load(String key) {
			return Mono.error(new IllegalStateException("connection refused"));
		}

		@Override
		public Mono<Void> create(String key, SessionRecord record) {
			return Mono.error(new IllegalStateException("connection refused"));
		}

		@Override
		public Mono<Boolean> update(String key, SessionDelta delta) {
			return Mono.error(new IllegalStateException("connection refused"));
		}

		@Override
		public Mono<Boolean> delete(String key) {
			return Mono.error(new IllegalStateException("connection refused"));
		}

		@Override
		public Mono<Long> count() {
			return Mono.error(new IllegalStateException("connection refused"));
		}

		@Override
		public Mono<Long> removeExpired(Instant now) {
			return Mono.just(0L);
		}

	}

}
