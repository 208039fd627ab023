package io.fastsession.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Generates malformed session ids, reproducibly from a seed: oversized values, path
 * traversal, NUL and control characters, bytes that are not UTF-8, SQL, Redis and
 * memcached metacharacters, forged signatures and ids of other formats. None is a
 * well-formed fastsession id (43 characters of URL-safe Base64), so none may cost a store
 * lookup.
 */
final class HostileIds {

	static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final String[] TRAVERSAL = { "../", "..\\", "%2e%2e%2f", "..%2F", "%252e%252e%252f", "....//",
			"..;/", "/", "\\", "%c0%ae%c0%ae/" };

	private static final String[] TARGETS = { "etc/passwd", "tmp/pwned", "sessions/../../escape",
			"C:\\Windows\\win.ini", "proc/self/environ", "fastsession-escape" };

	private static final String[] SQL = { "' OR '1'='1", "'; DROP TABLE fastsession_sessions; --", "\" OR 1=1 --",
			"1; SELECT pg_sleep(10)", "' UNION SELECT * FROM information_schema.tables --", "%' AND 1=0 --", "\\'",
			"'); DELETE FROM fastsession_session_attributes WHERE ('1'='1" };

	private static final String[] REDIS = { "*", "fastsession:*", "?", "[a-z]*", "\r\nFLUSHALL\r\n", "\nKEYS *\n",
			"*3\r\n$3\r\nSET\r\n", "{slot}", "key with spaces", "\u0000" };

	private static final String[] MEMCACHED = { "get x", "delete x", "flush_all", "stats", "x".repeat(251), "a b c",
			"\r\nflush_all\r\n" };

	private HostileIds() {
	}

	static List<byte[]> generate(int count, long seed) {
		Random random = new Random(seed);
		List<byte[]> values = new ArrayList<>(count);
		while (values.size() < count) {
			byte[] value = next(random, values.size() % 9);
			String latin1 = new String(value, StandardCharsets.ISO_8859_1);
			if (!WELL_FORMED.matcher(latin1).matches()) {
				values.add(value);
			}
		}
		return values;
	}

	private static byte[] next(Random random, int kind) {
		return switch (kind) {
			case 0 -> ascii("a".repeat(44 + random.nextInt(7000)));
			case 1 -> ascii(TRAVERSAL[random.nextInt(TRAVERSAL.length)].repeat(1 + random.nextInt(8))
					+ TARGETS[random.nextInt(TARGETS.length)]);
			case 2 -> withControlBytes(random);
			case 3 -> notUtf8(random);
			case 4 -> ascii(SQL[random.nextInt(SQL.length)] + suffix(random));
			case 5 -> ascii(REDIS[random.nextInt(REDIS.length)] + suffix(random));
			case 6 -> ascii(MEMCACHED[random.nextInt(MEMCACHED.length)] + suffix(random));
			case 7 -> forged(random);
			default -> otherFormat(random);
		};
	}

	private static String suffix(Random random) {
		return random.nextBoolean() ? "" : base64url(random, random.nextInt(60));
	}

	private static byte[] withControlBytes(Random random) {
		byte[] bytes = ascii(base64url(random, 43)).clone();
		int changes = 1 + random.nextInt(4);
		for (int i = 0; i < changes; i++) {
			int control = random.nextInt(33);
			bytes[random.nextInt(bytes.length)] = (byte) ((control == 32) ? 0x7F : control);
		}
		return bytes;
	}

	private static byte[] notUtf8(Random random) {
		byte[] bytes = ascii(base64url(random, 43)).clone();
		int changes = 1 + random.nextInt(6);
		for (int i = 0; i < changes; i++) {
			bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(128));
		}
		return bytes;
	}

	/**
	 * Ids that look genuine but are not: a valid-looking id with a made-up signature, one
	 * character too many or too few, or an alphabet fastsession does not use.
	 */
	private static byte[] forged(Random random) {
		String id = base64url(random, 43);
		return ascii(switch (random.nextInt(5)) {
			case 0 -> id + "." + base64url(random, 43);
			case 1 -> id + base64url(random, 1 + random.nextInt(3));
			case 2 -> id.substring(0, 43 - 1 - random.nextInt(10));
			case 3 -> id.substring(0, 42) + "+/=".charAt(random.nextInt(3));
			default -> "." + id;
		});
	}

	private static byte[] otherFormat(Random random) {
		byte[] raw = new byte[16 + random.nextInt(48)];
		random.nextBytes(raw);
		return ascii(switch (random.nextInt(5)) {
			case 0 -> new UUID(random.nextLong(), random.nextLong()).toString();
			case 1 -> Base64.getEncoder().encodeToString(raw);
			case 2 -> java.util.HexFormat.of().withUpperCase().formatHex(raw);
			case 3 -> "eyJhbGciOiJIUzI1NiJ9." + base64url(random, 40) + "." + base64url(random, 43);
			default -> "s%3A" + base64url(random, 32) + "." + base64url(random, 27);
		});
	}

	private static String base64url(Random random, int length) {
		StringBuilder builder = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			builder.append(BASE64URL.charAt(random.nextInt(BASE64URL.length())));
		}
		return builder.toString();
	}

	private static byte[] ascii(String value) {
		return value.getBytes(StandardCharsets.ISO_8859_1);
	}

}
