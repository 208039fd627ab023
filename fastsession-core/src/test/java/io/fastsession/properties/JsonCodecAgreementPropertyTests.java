package io.fastsession.properties;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.fastsession.codec.AttributeCodecException;
import io.fastsession.codec.JsonAttributeCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON codec writes and reads integers, booleans and short strings without Jackson
 * (see {@code JsonScalars}). These properties hold it to Jackson itself: for any value,
 * the same bytes; for any stored bytes and requested type, the same value of the same
 * class, or a failure where Jackson fails. Also with mappers configured so that the fast
 * path must step aside.
 */
class JsonCodecAgreementPropertyTests {

	private static final List<JsonMapper> MAPPERS = List.of(JsonMapper.builder().build(),
			JsonMapper.builder()
				.enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS)
				.enable(DeserializationFeature.USE_LONG_FOR_INTS)
				.build(),
			JsonMapper.builder()
				.enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
				.enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
				.build(),
			JsonMapper.builder().addModule(trimmingStrings()).build());

	private static final List<Class<?>> TYPES = List.of(Object.class, Integer.class, int.class, Long.class, long.class,
			Number.class, String.class, Boolean.class, Short.class, CharSequence.class);

	/** A common customisation: strings are trimmed when read. */
	private static SimpleModule trimmingStrings() {
		return new SimpleModule().addDeserializer(String.class, new StdDeserializer<String>(String.class) {

			@Override
			public String deserialize(JsonParser parser, DeserializationContext context) {
				String value = parser.getValueAsString();
				return (value != null) ? value.trim() : context.reportInputMismatch(this, "Not a string");
			}

		});
	}

	@Property(tries = 3000)
	void writesWhatTheMapperWrites(@ForAll("values") Object value) {
		for (JsonMapper mapper : MAPPERS) {
			assertThat(new JsonAttributeCodec(mapper).encode(value)).as("%s with %s", value, mapper)
				.isEqualTo(mapper.writeValueAsBytes(value));
		}
	}

	@Property(tries = 3000)
	void readsWhatTheMapperReads(@ForAll("storedScalars") String stored) {
		byte[] bytes = stored.getBytes(StandardCharsets.UTF_8);
		for (JsonMapper mapper : MAPPERS) {
			JsonAttributeCodec codec = new JsonAttributeCodec(mapper);
			for (Class<?> type : TYPES) {
				Object expected;
				try {
					expected = mapper.readValue(bytes, type);
				}
				catch (JacksonException ex) {
					expected = null;
				}
				Object actual;
				try {
					actual = codec.decode(bytes, type);
				}
				catch (AttributeCodecException ex) {
					actual = null;
				}
				assertThat(actual).as("%s as %s", stored, type).isEqualTo(expected);
				if (expected != null) {
					assertThat(actual.getClass()).as("%s as %s", stored, type).isEqualTo(expected.getClass());
				}
			}
		}
	}

	@Provide
	Arbitrary<Object> values() {
		return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.longs(), Arbitraries.shorts(), Arbitraries.bytes(),
				Arbitraries.of(true, false), Arbitraries.strings().ofMaxLength(300),
				Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
				Arbitraries.integers().between(-1000, 1000).map((i) -> i));
	}

	@Provide
	Arbitrary<String> storedScalars() {
		Arbitrary<String> numbers = Arbitraries.strings().withChars("-0123456789+.eE ").ofMaxLength(22);
		Arbitrary<String> integers = Arbitraries.longs().map(String::valueOf);
		// The edges of the int range, where Integer turns into Long.
		Arbitrary<String> nearIntRange = Arbitraries.longs()
			.between(-3, 3)
			.map((d) -> String.valueOf(((d < 0) ? (long) Integer.MIN_VALUE : (long) Integer.MAX_VALUE) + d));
		Arbitrary<String> quoted = Arbitraries.strings().ofMaxLength(300).map((s) -> '"' + s + '"');
		Arbitrary<String> plainQuoted = Arbitraries.strings()
			.withCharRange(' ', '~')
			.ofMaxLength(300)
			.map((s) -> '"' + s + '"');
		Arbitrary<String> words = Arbitraries.of("true", "false", "null", "tru", "falsey", "\"", "\"\"", "-", "-0",
				"00", "0x10", "[]", "{}", "1e3", " 1", "1 ", "\"a\"b\"", "\"\\u0041\"", "\"\\\"\"");
		return Arbitraries.oneOf(numbers, integers, nearIntRange, quoted, plainQuoted, words);
	}

}
