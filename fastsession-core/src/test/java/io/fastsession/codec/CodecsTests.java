package io.fastsession.codec;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecsTests {

	@Test
	void jsonCodecReadsTypedAndNaturalForms() {
		JsonAttributeCodec codec = new JsonAttributeCodec();
		assertThat(codec.decode(codec.encode(5))).isEqualTo(5);
		assertThat(codec.decode(codec.encode(5), Long.class)).isEqualTo(5L);
		assertThat(codec.decode(codec.encode(Instant.parse("2026-01-01T00:00:00Z")), Instant.class))
			.isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(codec.decode(codec.encode(List.of("a", "b")))).isEqualTo(List.of("a", "b"));
	}

	@Test
	void jsonScalarsSkipJacksonOnlyWhereTheMapperAgrees() {
		JsonScalars plain = new JsonScalars(JsonMapper.builder().build());
		assertThat(plain.write(42)).asString().isEqualTo("42");
		assertThat(plain.write("user-7")).asString().isEqualTo("\"user-7\"");
		assertThat(plain.write(true)).asString().isEqualTo("true");
		assertThat(plain.read("42".getBytes(), Object.class)).isEqualTo(42);
		assertThat(plain.read("4200000000".getBytes(), Object.class)).isEqualTo(4200000000L);
		assertThat(plain.read("\"user-7\"".getBytes(), String.class)).isEqualTo("user-7");
		assertThat(plain.write("a/b")).as("slashes are left to the mapper").isNull();
		assertThat(plain.read("\"a\\u0041\"".getBytes(), String.class)).as("escapes are left to the mapper").isNull();
		JsonScalars numbersAsStrings = new JsonScalars(JsonMapper.builder()
			.enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
			.enable(DeserializationFeature.USE_LONG_FOR_INTS)
			.build());
		assertThat(numbersAsStrings.write(42)).isNull();
		assertThat(numbersAsStrings.read("42".getBytes(), Object.class)).isNull();
		assertThat(numbersAsStrings.read("42".getBytes(), Integer.class)).isEqualTo(42);
		assertThat(numbersAsStrings.write("user-7")).asString().isEqualTo("\"user-7\"");
	}

	@Test
	void jsonCodecNeverInstantiatesClassesNamedByTheData() {
		JsonAttributeCodec codec = new JsonAttributeCodec();
		byte[] gadget = "[\"java.lang.ProcessBuilder\",{\"command\":[\"touch\",\"/tmp/pwned\"]}]".getBytes();
		assertThat(codec.decode(gadget)).isInstanceOf(List.class);
		assertThatThrownBy(() -> codec.decode("{\"truncated".getBytes())).isInstanceOf(AttributeCodecException.class);
		assertThatThrownBy(() -> codec.decode(new byte[] { (byte) 0xff, 0 }))
			.isInstanceOf(AttributeCodecException.class);
	}

	@Test
	void jdkCodecRoundTripsAllowedClasses() {
		JdkAttributeCodec codec = new JdkAttributeCodec();
		ArrayList<Object> value = new ArrayList<>(List.of("a", 1, new BigDecimal("1.5"), Instant.EPOCH));
		assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
		assertThat(codec.decode(codec.encode(42), int.class)).isEqualTo(42);
	}

	@Test
	void jdkCodecRefusesClassesOutsideTheAllowList() {
		JdkAttributeCodec codec = new JdkAttributeCodec();
		byte[] bytes = codec.encode(new Outsider("x"));
		assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(AttributeCodecException.class);
		JdkAttributeCodec allowing = new JdkAttributeCodec(List.of("java.lang.*", "io.fastsession.codec.*"));
		assertThat(allowing.decode(bytes)).isEqualTo(new Outsider("x"));
		assertThatThrownBy(() -> codec.decode(new byte[] { 1, 2, 3 })).isInstanceOf(AttributeCodecException.class);
		assertThatThrownBy(() -> codec.encode(new Object())).isInstanceOf(AttributeCodecException.class);
	}

	/**
	 * Nested sets that share their members (the "SerialDOS" pattern): a few hundred bytes
	 * whose decoding hashes 2^levels sets, all inside the default allow-list. The depth
	 * limit refuses the ones that would pin a thread (a 24-level bomb took 1.5 s here
	 * under the earlier limit of 32), and the deepest it lets through decodes in
	 * milliseconds. A Spring Security login context nests 6 deep.
	 */
	@Test
	void jdkCodecRefusesDecodeBombsAndTheDeepestItAcceptsIsCheap() {
		JdkAttributeCodec codec = new JdkAttributeCodec();
		assertThatThrownBy(() -> codec.decode(setBomb(24))).isInstanceOf(AttributeCodecException.class);
		assertThatThrownBy(() -> codec.decode(setBomb(JdkAttributeCodec.MAX_DEPTH)))
			.isInstanceOf(AttributeCodecException.class);
		byte[] deepestAccepted = setBomb(JdkAttributeCodec.MAX_DEPTH - 1);
		assertThat(deepestAccepted).hasSizeLessThan(1024);
		long[] nanos = new long[9];
		for (int i = 0; i < nanos.length; i++) {
			long start = System.nanoTime();
			assertThat(codec.decode(deepestAccepted)).isInstanceOf(Set.class);
			nanos[i] = System.nanoTime() - start;
		}
		java.util.Arrays.sort(nanos);
		// Median of nine; a few milliseconds with room for a loaded machine. Under the
		// old limit the same test took seconds.
		assertThat(java.time.Duration.ofNanos(nanos[4])).isLessThan(java.time.Duration.ofMillis(50));
	}

	private static byte[] setBomb(int levels) {
		Set<Object> root = new HashSet<>();
		Set<Object> left = root;
		Set<Object> right = new HashSet<>();
		for (int i = 0; i < levels; i++) {
			Set<Object> nextLeft = new HashSet<>();
			Set<Object> nextRight = new HashSet<>();
			nextLeft.add("x");
			left.add(nextLeft);
			left.add(nextRight);
			right.add(nextLeft);
			right.add(nextRight);
			left = nextLeft;
			right = nextRight;
		}
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
			out.writeObject(root);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	record Outsider(String value) implements Serializable {
	}

}
