package io.fastsession.autoconfigure.actuate;

import io.fastsession.SessionManager;
import io.fastsession.id.SessionKeys;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the session store: up when a read of a probe key answers within the store
 * timeout, down otherwise.
 *
 * @author fastsession authors
 */
public final class FastSessionHealthIndicator extends AbstractReactiveHealthIndicator {

	private static final String PROBE_KEY = SessionKeys.hash("fastsession-health-probe");

	private final SessionManager manager;

	private final String provider;

	public FastSessionHealthIndicator(SessionManager manager, String provider) {
		super("Session store health check failed");
		this.manager = manager;
		this.provider = provider;
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		return this.manager.getStore()
			.load(PROBE_KEY)
			.timeout(this.manager.getStoreTimeout())
			.then(Mono.fromSupplier(() -> builder.up().withDetail("provider", this.provider).build()))
			.onErrorResume((ex) -> Mono
				.just(builder.down().withDetail("provider", this.provider).withDetail("error", ex.toString()).build()));
	}

}
