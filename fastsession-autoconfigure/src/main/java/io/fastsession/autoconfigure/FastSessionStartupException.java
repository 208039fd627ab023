package io.fastsession.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

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

	static FastSessionStartupException librariesMissing(ProviderSetup setup, List<ProviderSetup.Library> missing) {
		String absent = missing.stream()
			.map((library) -> library.name() + " (" + library.classNames().replace("|", " or ") + " not found)")
			.collect(Collectors.joining(", "));
		return new FastSessionStartupException(
				setup.description() + ", which needs " + setup.libraryNames() + ". Not on the classpath: " + absent
						+ ".",
				"Add " + ProviderSetup.Library.dependencies(missing)
						+ " to your dependencies (Spring Boot's dependency management has their versions),"
						+ " or choose another fastsession.provider. The provider's page in fastsession's docs lists"
						+ " every dependency per setup, for Maven and Gradle.");
	}

	static FastSessionStartupException notConfigured(ProviderSetup setup) {
		return new FastSessionStartupException(
				setup.description() + ", but no session store could be configured for it.", "Check the fastsession."
						+ setup.provider().id() + ".* properties, or define a SessionStore bean of your own.");
	}

	static FastSessionStartupException invalidProperty(String property, Object value, String reason, String action) {
		return new FastSessionStartupException("Invalid value '" + value + "' for " + property + ": " + reason, action);
	}

	static FastSessionStartupException missingProperty(String property, String reason, String action) {
		return new FastSessionStartupException(property + " is not set: " + reason, action);
	}

}
