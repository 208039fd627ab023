package io.fastsession.autoconfigure.actuate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.fastsession.SessionManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Publishes {@code fastsession.sessions.active}, the number of stored sessions, refreshed
 * in the background (counting can be O(sessions) on some stores, so a gauge never counts
 * on demand). Stores that cannot count (memcached) publish no gauge.
 *
 * @author fastsession authors
 */
final class ActiveSessionsGauge implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ActiveSessionsGauge.class);

	private final SessionManager manager;

	private final MeterRegistry registry;

	private final String provider;

	private final Duration interval;

	private final AtomicLong count = new AtomicLong();

	private volatile boolean registered;

	private @Nullable Disposable task;

	ActiveSessionsGauge(SessionManager manager, MeterRegistry registry, String provider, Duration interval) {
		this.manager = manager;
		this.registry = registry;
		this.provider = provider;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.task == null) {
			this.task = Flux.interval(Duration.ZERO, this.interval)
				.onBackpressureDrop()
				.concatMap((tick) -> this.manager.getStore()
					.count()
					.timeout(this.manager.getStoreTimeout().multipliedBy(5))
					.doOnNext(this::publish)
					.onErrorResume(UnsupportedOperationException.class, (ex) -> {
						stop();
						return Mono.empty();
					})
					.onErrorResume((ex) -> {
						logger.debug("Counting sessions failed: " + ex);
						return Mono.empty();
					}), 1)
				.subscribe();
		}
	}

	private void publish(long sessions) {
		this.count.set(sessions);
		if (!this.registered) {
			this.registered = true;
			Gauge.builder("fastsession.sessions.active", this.count, AtomicLong::get)
				.description("Sessions in the store, including expired ones not removed yet")
				.tag("provider", this.provider)
				.register(this.registry);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.task != null) {
			this.task.dispose();
			this.task = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.task != null;
	}

}
