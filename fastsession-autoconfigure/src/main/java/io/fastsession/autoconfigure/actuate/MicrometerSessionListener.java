package io.fastsession.autoconfigure.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fastsession.SessionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records fastsession's lifecycle events and store calls as Micrometer meters, all tagged
 * with the provider:
 * <ul>
 * <li>{@code fastsession.sessions.created}, {@code .invalidated}, {@code .expired}
 * (counters)</li>
 * <li>{@code fastsession.ids.rejected}: client values that were not a well-formed or
 * signed id</li>
 * <li>{@code fastsession.decode.failures}: stored sessions dropped as unreadable</li>
 * <li>{@code fastsession.store.operations}: timer by {@code operation} and
 * {@code outcome} ({@code success}, {@code timeout}, {@code error})</li>
 * </ul>
 * No meter carries a session id or key.
 *
 * @author fastsession authors
 */
public final class MicrometerSessionListener implements SessionListener {

	private final MeterRegistry registry;

	private final String provider;

	private final Counter created;

	private final Counter invalidated;

	private final Counter expired;

	private final Counter rejected;

	private final Counter decodeFailures;

	/**
	 * Timers of successful calls by operation; of failed ones by operation and outcome.
	 */
	private final Map<String, Timer> successes = new ConcurrentHashMap<>();

	private final Map<String, Timer> failures = new ConcurrentHashMap<>();

	public MicrometerSessionListener(MeterRegistry registry, String provider) {
		this.registry = registry;
		this.provider = provider;
		this.created = counter("fastsession.sessions.created", "Sessions stored for the first time");
		this.invalidated = counter("fastsession.sessions.invalidated", "Sessions invalidated or revoked");
		this.expired = counter("fastsession.sessions.expired", "Expired sessions presented by clients");
		this.rejected = counter("fastsession.ids.rejected", "Client values that were not a valid session id");
		this.decodeFailures = counter("fastsession.decode.failures", "Stored sessions dropped as unreadable");
	}

	private Counter counter(String name, String description) {
		return Counter.builder(name).description(description).tag("provider", this.provider).register(this.registry);
	}

	@Override
	public void sessionCreated() {
		this.created.increment();
	}

	@Override
	public void sessionInvalidated() {
		this.invalidated.increment();
	}

	@Override
	public void sessionExpired() {
		this.expired.increment();
	}

	@Override
	public void idRejected() {
		this.rejected.increment();
	}

	@Override
	public void decodeFailed() {
		this.decodeFailures.increment();
	}

	@Override
	public void storeCalled(String operation, Duration elapsed, @Nullable Throwable error) {
		// Registered once per operation and outcome: this runs on every store call, so
		// the common success is looked up by the operation name alone.
		if (error == null) {
			this.successes.computeIfAbsent(operation, (key) -> timer(operation, "success")).record(elapsed);
			return;
		}
		String outcome = (error instanceof java.util.concurrent.TimeoutException) ? "timeout" : "error";
		this.failures.computeIfAbsent(operation + '/' + outcome, (key) -> timer(operation, outcome)).record(elapsed);
	}

	private Timer timer(String operation, String outcome) {
		return Timer.builder("fastsession.store.operations")
			.description("Calls to the session store")
			.tag("provider", this.provider)
			.tag("operation", operation)
			.tag("outcome", outcome)
			.register(this.registry);
	}

}
