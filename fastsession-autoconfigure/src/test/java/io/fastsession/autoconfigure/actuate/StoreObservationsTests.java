package io.fastsession.autoconfigure.actuate;

import java.nio.file.Path;
import java.util.List;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.autoconfigure.FastSessionAutoConfiguration;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Store calls as Micrometer observations: named {@code fastsession.store}, children of
 * the observation in the Reactor context, with the provider and the operation as
 * low-cardinality keys and nothing else; off unless asked for.
 */
class StoreObservationsTests {

	@TempDir
	Path directory;

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private ReactiveWebApplicationContextRunner runner() {
		return new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FastSessionAutoConfiguration.class,
					FastSessionActuatorAutoConfiguration.class))
			.withBean(TestObservationRegistry.class, () -> this.registry)
			.withPropertyValues("fastsession.provider=file", "fastsession.file.directory=" + this.directory);
	}

	@Test
	void storeCallsAreObservedInsideTheRequestsObservation() {
		runner().withPropertyValues("fastsession.observations.enabled=true").run((context) -> {
			SessionManager manager = context.getBean(SessionManager.class);
			Observation request = Observation.start("http.server.requests", this.registry);
			Session session = manager.createSession();
			session.set("user", "alice");
			String id = manager.commit(session)
				// The store's observation has ended by the time its caller gets the
				// outcome.
				.doOnNext((commit) -> TestObservationRegistryAssert.assertThat(this.registry)
					.hasObservationWithNameEqualTo("fastsession.store")
					.that()
					.hasBeenStopped())
				.contextWrite((ctx) -> ctx.put(ObservationThreadLocalAccessor.KEY, request))
				.block()
				.getClientValue();
			manager.load(List.of(id))
				.contextWrite((ctx) -> ctx.put(ObservationThreadLocalAccessor.KEY, request))
				.block();
			request.stop();
			TestObservationRegistryAssert.assertThat(this.registry)
				.hasObservationWithNameEqualTo("fastsession.store")
				.that()
				.hasContextualNameEqualTo("fastsession create")
				.hasLowCardinalityKeyValue("fastsession.provider", "file")
				.hasLowCardinalityKeyValue("fastsession.operation", "create")
				.hasParentObservationEqualTo(request)
				.hasBeenStarted()
				.hasBeenStopped();
			TestObservationRegistryAssert.assertThat(this.registry)
				.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("fastsession load")
					.hasParentObservationEqualTo(request));
			TestObservationRegistryAssert.assertThat(this.registry)
				.forAllObservationsWithNameEqualTo("fastsession.store",
						(observation) -> observation
							.satisfies((recorded) -> assertThat(((Observation.Context) recorded).getAllKeyValues())
								.extracting(KeyValue::getKey)
								.containsExactlyInAnyOrder("fastsession.provider", "fastsession.operation")));
		});
	}

	@Test
	void storeCallsAreNotObservedUnlessAskedFor() {
		runner().run((context) -> {
			SessionManager manager = context.getBean(SessionManager.class);
			Session session = manager.createSession();
			session.set("user", "alice");
			manager.load(List.of(manager.commit(session).block().getClientValue())).block();
			TestObservationRegistryAssert.assertThat(this.registry).doesNotHaveAnyObservation();
		});
	}

}
