package io.fastsession.id;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The default {@link SessionIdGenerator}: a number of bytes from a {@link SecureRandom},
 * encoded as URL-safe Base64 without padding (32 bytes, 256 bits, by default: 43
 * characters). Only ids of exactly that length and alphabet are {@link #isValid valid}.
 * <p>
 * The default random source is the JDK's {@code DRBG} instantiated at 256-bit security
 * strength (the JDK's default instantiation is 128-bit), seeded once at construction so
 * that no request thread ever waits for entropy.
 *
 * @author fastsession authors
 */
public final class RandomSessionIdGenerator implements SessionIdGenerator {

	/** Default number of random bytes per id. */
	public static final int DEFAULT_BYTES = 32;

	/** Fewest random bytes accepted: 128 bits. */
	public static final int MIN_BYTES = 16;

	/** Security strength the default random source is instantiated at, in bits. */
	static final int SECURITY_STRENGTH = 256;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final SecureRandom random;

	private final int bytes;

	private final int idLength;

	/**
	 * Create a generator of 32-byte ids from a freshly seeded {@code DRBG}.
	 */
	public RandomSessionIdGenerator() {
		this(DEFAULT_BYTES);
	}

	/**
	 * Create a generator of ids with the given number of random bytes.
	 * @param bytes random bytes per id, at least {@value #MIN_BYTES}
	 */
	public RandomSessionIdGenerator(int bytes) {
		this(bytes, defaultRandom());
	}

	/**
	 * Create a generator with the given random source.
	 * @param bytes random bytes per id, at least {@value #MIN_BYTES}
	 * @param random a cryptographically strong source; it is used under a lock
	 */
	public RandomSessionIdGenerator(int bytes, SecureRandom random) {
		if (bytes < MIN_BYTES) {
			throw new IllegalArgumentException(
					"Session ids need at least " + MIN_BYTES + " random bytes, got " + bytes);
		}
		this.bytes = bytes;
		this.random = random;
		this.idLength = (bytes * 4 + 2) / 3;
		// Seed now, on the caller's thread, so that the first request never reads the
		// entropy source on an event loop.
		random.nextBytes(new byte[1]);
	}

	@Override
	public String generate() {
		byte[] value = new byte[this.bytes];
		synchronized (this.random) {
			this.random.nextBytes(value);
		}
		return ENCODER.encodeToString(value);
	}

	@Override
	public boolean isValid(String id) {
		if (id.length() != this.idLength) {
			return false;
		}
		for (int i = 0; i < this.idLength; i++) {
			if (!SessionKeys.isBase64Url(id.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static SecureRandom defaultRandom() {
		try {
			return SecureRandom.getInstance("DRBG",
					DrbgParameters.instantiation(SECURITY_STRENGTH, DrbgParameters.Capability.RESEED_ONLY, null));
		}
		catch (NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

	/**
	 * Return the security strength of the random source, in bits, when it reports one.
	 * @return the strength, or 0 when unknown
	 */
	int securityStrength() {
		return (this.random.getParameters() instanceof DrbgParameters.Instantiation instantiation)
				? instantiation.getStrength() : 0;
	}

}
