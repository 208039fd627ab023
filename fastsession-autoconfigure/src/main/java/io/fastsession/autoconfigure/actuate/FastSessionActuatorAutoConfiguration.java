package io.fastsession.autoconfigure.actuate;

import io.fastsession.SessionManager;
import io.fastsession.autoconfigure.FastSessionAutoConfiguration;
import io.fastsession.autoconfigure.FastSessionProperties;
import io.fastsession.autoconfigure.SessionManagerCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support, each part when its library is present: a health indicator for the
 * session store, Micrometer metrics, and the {@code fastsession} endpoint.
 *
 * @author fastsession authors
 */
@AutoConfiguration(after = FastSessionAutoConfiguration.class,
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnBean(SessionManager.class)
public final class FastSessionActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("fastsession")
	static class Health {

		@Bean
		@ConditionalOnMissingBean(name = "fastsessionHealthIndicator")
		FastSessionHealthIndicator fastsessionHealthIndicator(SessionManager manager,
				FastSessionProperties properties) {
			return new FastSessionHealthIndicator(manager, properties.getProvider().id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		MicrometerSessionListener fastSessionMetrics(MeterRegistry registry, FastSessionProperties properties) {
			return new MicrometerSessionListener(registry, properties.getProvider().id());
		}

		@Bean
		@ConditionalOnMissingBean(name = "fastSessionActiveSessionsGauge")
		ActiveSessionsGauge fastSessionActiveSessionsGauge(SessionManager manager, MeterRegistry registry,
				FastSessionProperties properties) {
			return new ActiveSessionsGauge(manager, registry, properties.getProvider().id(),
					properties.getCleanupInterval());
		}

	}

	/**
	 * Store calls as Micrometer observations, when asked for: Boot records every
	 * observation as a timer too, which would repeat fastsession's own store metrics, so
	 * it is off by default.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	@ConditionalOnBooleanProperty("fastsession.observations.enabled")
	static class Observations {

		@Bean
		@ConditionalOnMissingBean(name = "fastSessionStoreObservations")
		SessionManagerCustomizer fastSessionStoreObservations(ObservationRegistry registry,
				FastSessionProperties properties) {
			return (builder) -> builder
				.storeCallObserver(new ObservationStoreCallObserver(registry, properties.getProvider().id()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(FastSessionEndpoint.class)
	static class Sessions {

		@Bean
		@ConditionalOnMissingBean
		FastSessionEndpoint fastSessionEndpoint(SessionManager manager) {
			return new FastSessionEndpoint(manager);
		}

	}

}
