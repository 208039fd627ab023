package io.fastsession.autoconfigure;

import java.time.Duration;

import io.fastsession.SessionManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link SessionManager#removeExpired()} every cleanup interval while the
 * application runs. Runs never overlap: a run still going when the next is due makes that
 * one skip.
 */
final class ExpiredSessionCleaner implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ExpiredSessionCleaner.class);

	private final SessionManager manager;

	private final Duration interval;

	private @Nullable Disposable task;

	ExpiredSessionCleaner(SessionManager manager, Duration interval) {
		this.manager = manager;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.task == null) {
			this.task = Flux.interval(this.interval, this.interval)
				.onBackpressureDrop()
				.concatMap((tick) -> this.manager.removeExpired().onErrorResume((ex) -> {
					logger.warn("Removing expired sessions failed: " + ex);
					return Mono.empty();
				}), 1)
				.subscribe((removed) -> {
					if (removed > 0 && logger.isDebugEnabled()) {
						logger.debug("Removed " + removed + " expired sessions");
					}
				});
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
