package io.fastsession.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of the values sessions hold most (integers, booleans and short ASCII strings)
 * read and written without a Jackson generator or parser. Those are built for documents:
 * for one scalar their set-up dominates, and under WebFlux the buffers they take come
 * from a pool that Spring's JSON encoders leave empty, so each one allocates its own.
 * <p>
 * Each kind is enabled only if the mapper, asked once at construction, writes and reads
 * exactly the same bytes and values: an application whose mapper writes numbers as
 * strings, reads integers as {@code Long} or has its own serializer for one of these
 * types keeps Jackson for that kind. Everything else goes to Jackson too; a {@code null}
 * answer means "not a scalar this class handles".
 */
final class JsonScalars {

	/** Longest string written or read here; longer ones go to Jackson. */
	private static final int MAX_STRING_LENGTH = 256;

	/** Digits that always fit a {@code long} (a sign aside). */
	private static final int MAX_DIGITS = 18;

	/**
	 * Stored strings the mapper must read back unchanged; with padding and mixed case, so
	 * that a trimming or case-folding deserializer is noticed.
	 */
	private static final String[] STRING_SAMPLES = { "\"\"", "\"a b\"", "\" Padded Text 42 \"", "\"{}[]~\"" };

	private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

	private final boolean writeIntegers;

	private final boolean writeBooleans;

	private final boolean writeStrings;

	private final boolean readIntegers;

	private final boolean readNaturalIntegers;

	private final boolean readBooleans;

	private final boolean readStrings;

	JsonScalars(JsonMapper mapper) {
		this.writeIntegers = writesAlike(mapper, 0, -7, 123456789, Integer.MIN_VALUE, Long.MAX_VALUE, (short) -12,
				(byte) 7);
		this.writeBooleans = writesAlike(mapper, true, false);
		this.writeStrings = writesAlike(mapper, "", "a b", " Padded Text 42 ", "~!#$%&'()*+,-.09:;<=>?@AZ[]^_`az{|}");
		this.readIntegers = readsAlike(mapper, Integer.class, "0", "-7", "2147483647")
				&& readsAlike(mapper, Long.class, "0", "-7", "123456789012345678");
		this.readNaturalIntegers = readsAlike(mapper, Object.class, "0", "-7", "2147483647", "-2147483648",
				"2147483648", "-123456789012345678") && readsAlike(mapper, Number.class, "5", "123456789012345");
		this.readBooleans = readsAlike(mapper, Boolean.class, "true", "false")
				&& readsAlike(mapper, Object.class, "true", "false");
		this.readStrings = readsAlike(mapper, String.class, STRING_SAMPLES)
				&& readsAlike(mapper, Object.class, STRING_SAMPLES);
	}

	/**
	 * Write a scalar.
	 * @return its JSON, or {@code null} if the value is not one written here
	 */
	byte @Nullable [] write(Object value) {
		if (this.writeIntegers && (value instanceof Integer || value instanceof Long || value instanceof Short
				|| value instanceof Byte)) {
			return Long.toString(((Number) value).longValue()).getBytes(StandardCharsets.US_ASCII);
		}
		if (this.writeBooleans && value instanceof Boolean flag) {
			return (flag ? TRUE : FALSE).clone();
		}
		if (this.writeStrings && value instanceof String text) {
			return writeString(text);
		}
		return null;
	}

	private static byte @Nullable [] writeString(String text) {
		int length = text.length();
		if (length > MAX_STRING_LENGTH) {
			return null;
		}
		byte[] json = new byte[length + 2];
		json[0] = '"';
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (!isPlain(c)) {
				return null;
			}
			json[i + 1] = (byte) c;
		}
		json[length + 1] = '"';
		return json;
	}

	/**
	 * Read a scalar.
	 * @param bytes the stored JSON
	 * @param type the requested type, boxed
	 * @return the value, or {@code null} if these bytes or this type are not read here
	 */
	@Nullable Object read(byte[] bytes, Class<?> type) {
		if (bytes.length == 0) {
			return null;
		}
		byte first = bytes[0];
		if (first == '"') {
			return (this.readStrings && (type == String.class || type == Object.class)) ? readString(bytes) : null;
		}
		if (first == 't' || first == 'f') {
			return (this.readBooleans && (type == Boolean.class || type == Object.class)) ? readBoolean(bytes) : null;
		}
		if (first == '-' || (first >= '0' && first <= '9')) {
			return readInteger(bytes, type);
		}
		return null;
	}

	private @Nullable Object readInteger(byte[] bytes, Class<?> type) {
		boolean natural = type == Object.class || type == Number.class;
		if (natural ? !this.readNaturalIntegers
				: !(this.readIntegers && (type == Integer.class || type == Long.class))) {
			return null;
		}
		int start = (bytes[0] == '-') ? 1 : 0;
		int digits = bytes.length - start;
		if (digits == 0 || digits > MAX_DIGITS || (bytes[start] == '0' && digits > 1)) {
			return null;
		}
		long value = 0;
		for (int i = start; i < bytes.length; i++) {
			int digit = bytes[i] - '0';
			if (digit < 0 || digit > 9) {
				return null;
			}
			value = value * 10 + digit;
		}
		if (start == 1) {
			value = -value;
		}
		boolean fitsInt = value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
		if (type == Long.class) {
			return value;
		}
		if (type == Integer.class) {
			// Jackson decides what an out-of-range int is (an error by default).
			return fitsInt ? (Object) (int) value : null;
		}
		return fitsInt ? (Object) (int) value : (Object) value;
	}

	private static @Nullable Object readBoolean(byte[] bytes) {
		if (Arrays.equals(bytes, TRUE)) {
			return Boolean.TRUE;
		}
		return Arrays.equals(bytes, FALSE) ? Boolean.FALSE : null;
	}

	private static @Nullable Object readString(byte[] bytes) {
		int end = bytes.length - 1;
		if (end < 1 || end - 1 > MAX_STRING_LENGTH || bytes[end] != '"') {
			return null;
		}
		for (int i = 1; i < end; i++) {
			if (!isPlain((char) (bytes[i] & 0xff))) {
				return null;
			}
		}
		return new String(bytes, 1, end - 1, StandardCharsets.US_ASCII);
	}

	/**
	 * Printable ASCII that JSON takes as is inside a string; not the slash, which some
	 * mappers escape.
	 */
	private static boolean isPlain(char c) {
		return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/';
	}

	private static boolean writesAlike(JsonMapper mapper, Object... samples) {
		JsonScalars unchecked = new JsonScalars();
		try {
			for (Object sample : samples) {
				if (!Arrays.equals(mapper.writeValueAsBytes(sample), unchecked.write(sample))) {
					return false;
				}
			}
			return true;
		}
		catch (RuntimeException ex) {
			// Jackson's own failures and those of the application's serializers alike.
			return false;
		}
	}

	private static boolean readsAlike(JsonMapper mapper, Class<?> type, String... samples) {
		JsonScalars unchecked = new JsonScalars();
		try {
			for (String sample : samples) {
				byte[] bytes = sample.getBytes(StandardCharsets.US_ASCII);
				Object expected = mapper.readValue(bytes, type);
				Object actual = unchecked.read(bytes, type);
				if (expected == null || actual == null || expected.getClass() != actual.getClass()
						|| !Objects.equals(expected, actual)) {
					return false;
				}
			}
			return true;
		}
		catch (RuntimeException ex) {
			// Jackson's own failures and those of the application's deserializers alike.
			return false;
		}
	}

	/** Every kind enabled, for the checks against the mapper. */
	private JsonScalars() {
		this.writeIntegers = true;
		this.writeBooleans = true;
		this.writeStrings = true;
		this.readIntegers = true;
		this.readNaturalIntegers = true;
		this.readBooleans = true;
		this.readStrings = true;
	}

	@Override
	public String toString() {
		return "JsonScalars[write: integers=" + this.writeIntegers + ", booleans=" + this.writeBooleans + ", strings="
				+ this.writeStrings + "; read: integers=" + this.readIntegers + ", natural integers="
				+ this.readNaturalIntegers + ", booleans=" + this.readBooleans + ", strings=" + this.readStrings + "]";
	}

}
