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

	static FastSessionStartupException schemaFailed(String where, String settings, RuntimeException ex) {
		return new FastSessionStartupException(
				"fastsession could not create or check its session tables in " + where + ": " + rootMessage(ex),
				"Check that the database is running and reachable from this host, and that " + settings
						+ " are right and the user may create tables. To start without touching the database,"
						+ " create the tables yourself and set fastsession.jdbc.initialize-schema=never.",
				ex);
	}

	static FastSessionStartupException unusablePath(String property, java.nio.file.Path path, RuntimeException ex) {
		return new FastSessionStartupException(
				"Invalid value '" + path + "' for " + property + ": it cannot be created or written: "
						+ rootMessage(ex),
				"Point " + property + " to a place the application's user may create and write, or create it"
						+ " beforehand with the right owner.",
				ex);
	}

	static FastSessionStartupException invalidProperty(String property, Object value, String reason, String action) {
		return new FastSessionStartupException("Invalid value '" + value + "' for " + property + ": " + reason, action);
	}

	static FastSessionStartupException missingProperty(String property, String reason, String action) {
		return new FastSessionStartupException(property + " is not set: " + reason, action);
	}

	/**
	 * Return what the driver or the file system said: the innermost SQLException of a
	 * failure (the driver's words, not the pool's or Flyway's wrapping), else its
	 * innermost cause, after the failure's own message when that is a different one.
	 */
	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		Throwable sql = null;
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			root = cause;
			if (cause instanceof java.sql.SQLException) {
				sql = cause;
			}
		}
		Throwable chosen = (sql != null) ? sql : root;
		String said = chosen.getClass().getSimpleName()
				+ ((chosen.getMessage() != null) ? ": " + chosen.getMessage().strip() : "");
		return (chosen == ex || sql != null) ? said : ex.getMessage() + " (" + said + ")";
	}

}
