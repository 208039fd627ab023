package io.fastsession.id;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionIdCodec} that signs ids with HMAC-SHA256: the client holds
 * {@code id + "." + base64url(hmac(id))}. The first key signs; every key verifies, so
 * keys can be rotated by putting the new key first and dropping the old one once the
 * longest session has expired. Signatures are compared in constant time.
 * <p>
 * Signing stops forged or mistyped ids before any store access and lets an id that leaked
 * from somewhere other than the cookie be refused after its key is rotated out.
 *
 * @author fastsession authors
 */
public final class HmacSessionIdCodec implements SessionIdCodec {

	/** Fewest key bytes accepted (the HMAC-SHA256 block strength). */
	public static final int MIN_KEY_BYTES = 32;

	private static final String ALGORITHM = "HmacSHA256";

	private static final int SIGNATURE_LENGTH = 43;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private final List<Mac> prototypes;

	/**
	 * Create a codec from keys given as strings (their UTF-8 bytes are the key).
	 * @param keys the keys, signing key first; each at least {@value #MIN_KEY_BYTES}
	 * bytes
	 * @return the codec
	 */
	public static HmacSessionIdCodec fromStrings(List<String> keys) {
		List<byte[]> bytes = new ArrayList<>(keys.size());
		keys.forEach((key) -> bytes.add(key.getBytes(StandardCharsets.UTF_8)));
		return new HmacSessionIdCodec(bytes);
	}

	/**
	 * Create a codec.
	 * @param keys the keys, signing key first; each at least {@value #MIN_KEY_BYTES}
	 * bytes
	 */
	public HmacSessionIdCodec(List<byte[]> keys) {
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("At least one signing key is required");
		}
		List<Mac> macs = new ArrayList<>(keys.size());
		for (int i = 0; i < keys.size(); i++) {
			byte[] key = keys.get(i);
			if (key.length < MIN_KEY_BYTES) {
				throw new IllegalArgumentException("Signing key " + i + " has " + key.length + " bytes; at least "
						+ MIN_KEY_BYTES + " are required");
			}
			macs.add(newMac(key));
		}
		this.prototypes = List.copyOf(macs);
	}

	@Override
	public String encode(String sessionId) {
		return sessionId + '.' + sign(this.prototypes.get(0), sessionId);
	}

	@Override
	public @Nullable String decode(String value) {
		int dot = value.lastIndexOf('.');
		if (dot <= 0 || value.length() - dot - 1 != SIGNATURE_LENGTH) {
			return null;
		}
		String id = value.substring(0, dot);
		byte[] presented = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
		boolean valid = false;
		for (Mac prototype : this.prototypes) {
			byte[] expected = sign(prototype, id).getBytes(StandardCharsets.US_ASCII);
			// Check every key, so the time taken does not tell which one matched.
			valid |= MessageDigest.isEqual(expected, presented);
		}
		return valid ? id : null;
	}

	private static String sign(Mac prototype, String id) {
		return ENCODER.encodeToString(copy(prototype).doFinal(id.getBytes(StandardCharsets.UTF_8)));
	}

	private static Mac copy(Mac prototype) {
		try {
			return (Mac) prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("HmacSHA256 provider does not support clone()", ex);
		}
	}

	private static Mac newMac(byte[] key) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(key, ALGORITHM));
			return mac;
		}
		catch (InvalidKeyException ex) {
			throw new IllegalArgumentException("Invalid signing key", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ALGORITHM + " is required by every Java platform", ex);
		}
	}

	@Override
	public String toString() {
		return "HmacSHA256[" + this.prototypes.size() + " key(s)]";
	}

}
