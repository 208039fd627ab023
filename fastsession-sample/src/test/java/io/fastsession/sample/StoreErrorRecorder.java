package io.fastsession.sample;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.fastsession.SessionListener;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Records the store failures of an application that are not store errors but JVM
 * {@link Error}s, such as BlockHound's report of a blocking call on an event loop: a
 * failover test that saw one has found a bug, whatever the HTTP answers were.
 */
final class StoreErrorRecorder implements SessionListener {

	private final Queue<String> errors = new ConcurrentLinkedQueue<>();

	@Override
	public void storeCalled(String operation, Duration elapsed, @Nullable Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof Error) {
				StringBuilder text = new StringBuilder(
						operation + " on " + Thread.currentThread().getName() + ": " + cause);
				for (StackTraceElement frame : cause.getStackTrace()) {
					text.append("\n\tat ").append(frame);
				}
				this.errors.add(text.toString());
				return;
			}
		}
	}

	List<String> errors() {
		return List.copyOf(this.errors);
	}

	/**
	 * Register this recorder as a session listener of the application being built.
	 * @return the initializer
	 */
	ApplicationContextInitializer<ConfigurableApplicationContext> initializer() {
		return (context) -> ((GenericApplicationContext) context).registerBean("failoverStoreErrorRecorder",
				SessionListener.class, () -> this);
	}

}
