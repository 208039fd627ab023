package io.fastsession.id;

/**
 * Generates session ids and recognises their format (fasthttpsession's
 * {@code SessionIdGeneratorFunc}). The manager only ever accepts ids that
 * {@link #isValid} accepts, and only ever issues ids from {@link #generate}: a
 * client-chosen id is never adopted.
 * <p>
 * Implementations must be thread-safe and must not block: {@link #generate()} runs on
 * event-loop threads. An id must be unguessable (at least 128 bits from a
 * cryptographically strong source) and must not contain {@code '.'}, which the signing
 * codec uses as a separator.
 *
 * @author fastsession authors
 * @see RandomSessionIdGenerator
 */
public interface SessionIdGenerator {

	/**
	 * Generate a new, unguessable session id.
	 * @return the id
	 */
	String generate();

	/**
	 * Whether a string has the format of an id this generator issues. Called on every
	 * incoming id before any store access, so it must be cheap and must reject anything
	 * malformed. The default accepts 16 to 256 characters of the URL-safe Base64 alphabet
	 * ({@code A-Z a-z 0-9 - _}), which covers UUIDs and most random-token formats;
	 * implementations should narrow it to their exact format.
	 * @param id the candidate
	 * @return {@code true} if it could be an id of this generator
	 */
	default boolean isValid(String id) {
		int length = id.length();
		if (length < 16 || length > 256) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (!SessionKeys.isBase64Url(id.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
