package io.fastsession.autoconfigure;

/**
 * A fastsession configuration mistake found at start-up, carrying what went wrong and
 * what to do about it; {@link FastSessionFailureAnalyzer} shows both.
 *
 * @author fastsession authors
 */
public class FastSessionStartupException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String action;

	public FastSessionStartupException(String description, String action) {
		super(description);
		this.action = action;
	}

	public FastSessionStartupException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/**
	 * Return what the user should do.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	static FastSessionStartupException unknownProvider(String provider) {
		return new FastSessionStartupException(
				"fastsession.provider is '" + provider + "', which is not a session provider.",
				"Set fastsession.provider to one of: " + SessionProvider.names() + ".");
	}

	static FastSessionStartupException driverMissing(SessionProvider provider,
			java.util.List<SessionProvider.Requirement> missing) {
		String classes = missing.stream()
			.map(SessionProvider.Requirement::classNames)
			.collect(java.util.stream.Collectors.joining(", "));
		String dependencies = missing.stream()
			.map(SessionProvider.Requirement::dependency)
			.collect(java.util.stream.Collectors.joining(", "));
		return new FastSessionStartupException(
				"fastsession.provider is '" + provider.getName()
						+ "', but libraries it needs are not on the classpath (" + classes + " not found).",
				"Add " + dependencies + " to your dependencies, or choose another fastsession.provider.");
	}

	static FastSessionStartupException notConfigured(SessionProvider provider) {
		return new FastSessionStartupException(
				"fastsession.provider is '" + provider.getName()
						+ "', but no session store could be configured for it.",
				"Check the fastsession." + provider.getName()
						+ ".* properties, or define a SessionStore bean of your own.");
	}

	static FastSessionStartupException invalidProperty(String property, Object value, String reason, String action) {
		return new FastSessionStartupException("Invalid value '" + value + "' for " + property + ": " + reason, action);
	}

	static FastSessionStartupException missingProperty(String property, String reason, String action) {
		return new FastSessionStartupException(property + " is not set: " + reason, action);
	}

}
