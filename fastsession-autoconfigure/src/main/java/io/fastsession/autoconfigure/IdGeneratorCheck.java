package io.fastsession.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.fastsession.id.SessionIdGenerator;

/**
 * Generates one id at start-up and checks it the way every request will: an id that the
 * generator's own {@link SessionIdGenerator#isValid isValid} refuses would make every
 * request start a new session without a word, so start-up fails instead and says why.
 */
final class IdGeneratorCheck {

	private static final String ALPHABET = "A-Z a-z 0-9 - _";

	private IdGeneratorCheck() {
	}

	static void check(SessionIdGenerator generator) {
		String type = generator.getClass().getName();
		String id;
		try {
			id = generator.generate();
		}
		catch (RuntimeException ex) {
			throw new FastSessionStartupException(
					"The SessionIdGenerator bean (" + type + ") failed to generate a session id at start-up: " + ex,
					"Fix its generate() method.", ex);
		}
		List<String> problems = new ArrayList<>();
		if (id == null || id.isEmpty()) {
			problems.add("it generated an empty id");
		}
		else {
			if (!generator.isValid(id)) {
				problems.add("its own isValid(String) refuses the ids its generate() makes, so every request would"
						+ " start a new session (the id was " + id.length() + " characters long" + hints(id) + ")");
			}
			if (id.indexOf('.') >= 0) {
				problems.add("its ids contain '.', which signed ids use to separate the id from its signature");
			}
		}
		if (!problems.isEmpty()) {
			throw new FastSessionStartupException(
					"The SessionIdGenerator bean (" + type + ") cannot be used: " + String.join("; and ", problems)
							+ ".",
					"Make generate() return ids that isValid(String) accepts: override isValid to recognise exactly"
							+ " the format generate() makes, or generate 16 to 256 characters of " + ALPHABET
							+ " (URL-safe Base64 without padding), which the default isValid accepts.");
		}
	}

	/**
	 * Say how an id differs from what the default {@code isValid} accepts.
	 */
	private static String hints(String id) {
		StringBuilder hints = new StringBuilder();
		if (id.length() < 16) {
			hints.append("; the default isValid wants at least 16");
		}
		else if (id.length() > 256) {
			hints.append("; the default isValid accepts at most 256");
		}
		Set<String> outside = new TreeSet<>();
		id.chars()
			.filter((c) -> !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_'))
			.forEach((c) -> outside.add("'" + (char) c + "'"));
		if (!outside.isEmpty()) {
			hints.append("; it contained ")
				.append(String.join(" ", outside))
				.append(", outside the alphabet the default isValid accepts, " + ALPHABET);
		}
		return hints.toString();
	}

}
