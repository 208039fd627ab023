package io.fastsession;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;

/**
 * Logs store failures at most once per interval, with the number suppressed meanwhile, so
 * an outage under load gives a readable log instead of one stack trace per request.
 */
final class StoreFailureLog {

	private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final Log logger;

	private final AtomicLong nextReport = new AtomicLong(Long.MIN_VALUE);

	private final AtomicLong suppressed = new AtomicLong();

	StoreFailureLog(Log logger) {
		this.logger = logger;
	}

	void record(String operation, Throwable error) {
		long now = System.nanoTime();
		long next = this.nextReport.get();
		if ((next == Long.MIN_VALUE || now - next >= 0) && this.nextReport.compareAndSet(next, now + INTERVAL_NANOS)) {
			long others = this.suppressed.getAndSet(0);
			if (this.logger.isWarnEnabled()) {
				this.logger.warn("Session store " + operation + " failed: " + error
						+ ((others > 0) ? " (" + others + " more failures since the last report)" : ""));
			}
			if (this.logger.isDebugEnabled()) {
				this.logger.debug("Session store failure detail", error);
			}
		}
		else {
			this.suppressed.incrementAndGet();
		}
	}

}
