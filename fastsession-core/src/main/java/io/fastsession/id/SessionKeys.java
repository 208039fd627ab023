package io.fastsession.id;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * Derives the store key of a session from its id: the URL-safe Base64 (no padding)
 * SHA-256 of the id. Stores only ever see keys, so a leaked store or backup holds nothing
 * that works as a cookie, and keys are safe in file names, Redis keys, memcached keys and
 * SQL.
 *
 * @author fastsession authors
 */
public final class SessionKeys {

	/** Length of every key. */
	public static final int KEY_LENGTH = 43;

	private static final MessageDigest PROTOTYPE = newDigest();

	/**
	 * A digest per thread, reset by each use: the few event-loop threads that hash an id
	 * on every request reuse theirs, where a clone of the prototype per call allocated
	 * the digest and its arrays, 224 of the 512 bytes a key took.
	 */
	private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(SessionKeys::copyOfPrototype);

	private SessionKeys() {
	}

	/**
	 * Return the key of a session id.
	 * @param sessionId the id
	 * @return its 43-character key
	 */
	public static String hash(String sessionId) {
		byte[] digest = DIGESTS.get().digest(sessionId.getBytes(StandardCharsets.UTF_8));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	/**
	 * Whether a string has the shape of a key; stores that turn keys into paths check it
	 * as a second line of defence.
	 * @param key the candidate
	 * @return {@code true} if it is 43 characters of the URL-safe Base64 alphabet
	 */
	public static boolean isValidKey(String key) {
		if (key.length() != KEY_LENGTH) {
			return false;
		}
		for (int i = 0; i < KEY_LENGTH; i++) {
			if (!isBase64Url(key.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Describe a key for a log line: a short prefix, enough to correlate lines, never the
	 * id.
	 * @param key the key, or {@code null} for a session that was never stored
	 * @return a description such as {@code key AbC123xy…}
	 */
	public static String describe(@Nullable String key) {
		return (key != null) ? "key " + key.substring(0, Math.min(8, key.length())) + "\u2026" : "(not stored)";
	}

	static boolean isBase64Url(char c) {
		return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
	}

	private static MessageDigest copyOfPrototype() {
		try {
			return (MessageDigest) PROTOTYPE.clone();
		}
		catch (CloneNotSupportedException ex) {
			return newDigest();
		}
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
