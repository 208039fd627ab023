package io.fastsession.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.fastsession.SessionListener;
import org.jspecify.annotations.Nullable;

/**
 * Forwards every event to several listeners.
 */
final class CompositeSessionListener implements SessionListener {

	private final List<SessionListener> listeners;

	CompositeSessionListener(List<SessionListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void sessionCreated() {
		this.listeners.forEach(SessionListener::sessionCreated);
	}

	@Override
	public void sessionInvalidated() {
		this.listeners.forEach(SessionListener::sessionInvalidated);
	}

	@Override
	public void sessionExpired() {
		this.listeners.forEach(SessionListener::sessionExpired);
	}

	@Override
	public void idRejected() {
		this.listeners.forEach(SessionListener::idRejected);
	}

	@Override
	public void decodeFailed() {
		this.listeners.forEach(SessionListener::decodeFailed);
	}

	@Override
	public void storeCalled(String operation, Duration elapsed, @Nullable Throwable error) {
		this.listeners.forEach((listener) -> listener.storeCalled(operation, elapsed, error));
	}

}
