package io.fastsession;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Receives session lifecycle events from a {@link SessionManager}, for metrics and
 * auditing. Methods run on request threads and must be fast and non-blocking. No method
 * receives a session id.
 *
 * @author fastsession authors
 */
public interface SessionListener {

	/** A listener that ignores every event. */
	SessionListener NONE = new SessionListener() {
	};

	/** A new session was stored for the first time. */
	default void sessionCreated() {
	}

	/** A session was invalidated and deleted. */
	default void sessionInvalidated() {
	}

	/** A client presented the id of a session that had expired. */
	default void sessionExpired() {
	}

	/** A client presented a value that is not a well-formed (or correctly signed) id. */
	default void idRejected() {
	}

	/** A stored session could not be decoded and was dropped. */
	default void decodeFailed() {
	}

	/**
	 * A store operation completed, successfully or not.
	 * @param operation the operation: {@code load}, {@code create}, {@code update},
	 * {@code delete} or {@code find}
	 * @param elapsed how long it took
	 * @param error the error it failed with (a timeout included), or {@code null}
	 */
	default void storeCalled(String operation, Duration elapsed, @Nullable Throwable error) {
	}

}
