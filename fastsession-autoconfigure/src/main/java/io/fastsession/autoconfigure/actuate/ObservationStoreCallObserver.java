package io.fastsession.autoconfigure.actuate;

import java.util.concurrent.atomic.AtomicBoolean;

import io.fastsession.StoreCallObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

/**
 * Reports every store call as a Micrometer {@link Observation} named {@value #NAME}, a
 * child of the observation in the Reactor context (the request's, when WebFlux observes
 * requests), so that a trace shows the session's load and commit inside the request's
 * span. Its low-cardinality keys are the provider and the operation; no id, key or
 * attribute is ever recorded.
 */
final class ObservationStoreCallObserver implements StoreCallObserver {

	static final String NAME = "fastsession.store";

	private final ObservationRegistry registry;

	private final String provider;

	ObservationStoreCallObserver(ObservationRegistry registry, String provider) {
		this.registry = registry;
		this.provider = provider;
	}

	@Override
	public <T> Mono<T> observe(String operation, Mono<T> call) {
		return Mono.deferContextual((context) -> {
			Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Observation observation = Observation.createNotStarted(NAME, this.registry)
				.contextualName("fastsession " + operation)
				.lowCardinalityKeyValue("fastsession.provider", this.provider)
				.lowCardinalityKeyValue("fastsession.operation", operation)
				.parentObservation(parent)
				.start();
			// Stopped as the call's outcome arrives, before it goes downstream: with
			// doFinally the observation ended only after the caller had processed the
			// outcome, so the store's span held the caller's work, and a caller that
			// blocked could see it still open.
			AtomicBoolean stopped = new AtomicBoolean();
			Runnable stop = () -> {
				if (stopped.compareAndSet(false, true)) {
					observation.stop();
				}
			};
			return call.doOnSuccess((value) -> stop.run()).doOnError((ex) -> {
				observation.error(ex);
				stop.run();
			}).doOnCancel(stop).contextWrite((inner) -> inner.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

}
