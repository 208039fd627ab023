package io.fastsession.id;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdsTests {

	@Test
	void randomIdsHaveTheConfiguredEntropyAndAreUnique() {
		RandomSessionIdGenerator generator = new RandomSessionIdGenerator();
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String id = generator.generate();
			assertThat(id).hasSize(43).matches("[A-Za-z0-9_-]+");
			assertThat(generator.isValid(id)).isTrue();
			ids.add(id);
		}
		assertThat(ids).hasSize(10_000);
		assertThat(new RandomSessionIdGenerator(16).generate()).hasSize(22);
		assertThatThrownBy(() -> new RandomSessionIdGenerator(15)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void randomIdValidationIsStrict() {
		RandomSessionIdGenerator generator = new RandomSessionIdGenerator();
		String id = generator.generate();
		assertThat(generator.isValid(id.substring(1))).isFalse();
		assertThat(generator.isValid(id + "A")).isFalse();
		assertThat(generator.isValid(id.substring(1) + "=")).isFalse();
		assertThat(generator.isValid(id.substring(1) + ".")).isFalse();
		assertThat(generator.isValid(id.substring(1) + "\u00e9")).isFalse();
	}

	@Test
	void defaultValidationForCustomGeneratorsAcceptsUuidsAndRejectsJunk() {
		SessionIdGenerator uuids = () -> java.util.UUID.randomUUID().toString();
		assertThat(uuids.isValid(uuids.generate())).isTrue();
		assertThat(uuids.isValid("short")).isFalse();
		assertThat(uuids.isValid("../../../../../../etc/passwd")).isFalse();
		assertThat(uuids.isValid("x".repeat(257))).isFalse();
	}

	@Test
	void hmacSignsAndVerifies() {
		HmacSessionIdCodec codec = HmacSessionIdCodec.fromStrings(List.of("0123456789abcdef0123456789abcdef"));
		String signed = codec.encode("session-id-123");
		assertThat(signed).startsWith("session-id-123.").hasSize("session-id-123.".length() + 43);
		assertThat(codec.decode(signed)).isEqualTo("session-id-123");
	}

	@Test
	void hmacRejectsForgedTruncatedAndUnsignedValues() {
		HmacSessionIdCodec codec = HmacSessionIdCodec.fromStrings(List.of("0123456789abcdef0123456789abcdef"));
		String signed = codec.encode("session-id-123");
		char last = signed.charAt(signed.length() - 1);
		assertThat(codec.decode(signed.substring(0, signed.length() - 1) + ((last == 'A') ? 'B' : 'A'))).isNull();
		assertThat(codec.decode("session-id-124" + signed.substring(signed.indexOf('.')))).isNull();
		assertThat(codec.decode("session-id-123")).isNull();
		assertThat(codec.decode(signed.substring(0, signed.length() - 2))).isNull();
		assertThat(codec.decode("." + signed.substring(signed.indexOf('.') + 1))).isNull();
		assertThat(codec.decode("")).isNull();
	}

	@Test
	void hmacRotationSignsWithTheFirstKeyAndVerifiesWithAll() {
		String oldKey = "old-key-old-key-old-key-old-key-";
		String newKey = "new-key-new-key-new-key-new-key-";
		HmacSessionIdCodec before = HmacSessionIdCodec.fromStrings(List.of(oldKey));
		HmacSessionIdCodec during = HmacSessionIdCodec.fromStrings(List.of(newKey, oldKey));
		HmacSessionIdCodec after = HmacSessionIdCodec.fromStrings(List.of(newKey));
		String issuedBefore = before.encode("id-1");
		assertThat(during.decode(issuedBefore)).isEqualTo("id-1");
		assertThat(after.decode(issuedBefore)).isNull();
		assertThat(after.decode(during.encode("id-2"))).isEqualTo("id-2");
	}

	@Test
	void hmacRefusesShortKeys() {
		assertThatThrownBy(() -> HmacSessionIdCodec.fromStrings(List.of("too-short")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("at least 32");
		assertThatThrownBy(() -> HmacSessionIdCodec.fromStrings(List.of()))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void keysAreHashesNotIds() {
		String id = new RandomSessionIdGenerator().generate();
		String key = SessionKeys.hash(id);
		assertThat(key).hasSize(SessionKeys.KEY_LENGTH).isNotEqualTo(id).doesNotContain(id);
		assertThat(SessionKeys.isValidKey(key)).isTrue();
		assertThat(SessionKeys.hash(id)).isEqualTo(key);
		assertThat(SessionKeys.isValidKey("../" + key.substring(3))).isFalse();
		assertThat(SessionKeys.describe(key)).hasSize(4 + 8 + 1).doesNotContain(id);
	}

	/**
	 * 256 random bits per id need a source of at least that strength; the JDK's DRBG is
	 * instantiated at 128 bits unless asked for more.
	 */
	@Test
	void theDefaultRandomSourceHas256BitSecurityStrength() {
		assertThat(new RandomSessionIdGenerator().securityStrength()).isEqualTo(256);
	}

}
