package io.fastsession.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Finds a {@code ${NAME}} placeholder left in a bound value: Spring Boot binds a
 * placeholder that names no property or environment variable as its literal text, which
 * would otherwise be reported as a value that is too short or malformed.
 */
final class UnresolvedPlaceholders {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::[^}]*)?}");

	private UnresolvedPlaceholders() {
	}

	/**
	 * Return the name in the first placeholder left in a value.
	 * @param value the bound value
	 * @return the name, such as {@code SESSION_KEY}, or {@code null} if there is none
	 */
	static @Nullable String find(String value) {
		Matcher matcher = PLACEHOLDER.matcher(value);
		return matcher.find() ? matcher.group(1).strip() : null;
	}

}
