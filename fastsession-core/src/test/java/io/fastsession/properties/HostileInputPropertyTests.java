package io.fastsession.properties;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.codec.AttributeCodecException;
import io.fastsession.codec.JdkAttributeCodec;
import io.fastsession.codec.JsonAttributeCodec;
import io.fastsession.id.HmacSessionIdCodec;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.CountingSessionStore;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionRecordFormat;
import io.fastsession.store.SessionRecordFormat.CorruptRecordException;
import io.fastsession.store.memory.CaffeineSessionStore;
import io.fastsession.web.CompositeSessionIdResolver;
import io.fastsession.web.CookieSessionIdResolver;
import io.fastsession.web.HeaderSessionIdResolver;
import io.fastsession.web.QuerySessionIdResolver;
import io.fastsession.web.SessionIdResolver;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.BeforeProperty;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Property-based tests (jqwik) over everything a client or a damaged store can hand to
 * fastsession: id values, signatures, the three transports and stored bytes. The
 * properties: nothing throws anything but the documented exception, a malformed value
 * never reaches the store, and no client value is ever adopted as a session id.
 */
class HostileInputPropertyTests {

	private static final RandomSessionIdGenerator GENERATOR = new RandomSessionIdGenerator();

	private static final HmacSessionIdCodec SIGNER = HmacSessionIdCodec
		.fromStrings(List.of("a-signing-key-of-at-least-32-bytes!!", "an-older-key-still-accepted-for-rotation"));

	private CountingSessionStore store;

	private SessionManager plain;

	private SessionManager signed;

	@BeforeProperty
	void setUp() {
		this.store = new CountingSessionStore(new CaffeineSessionStore(1000, java.time.Clock.systemUTC()));
		this.plain = SessionManager.builder(this.store).build();
		this.signed = SessionManager.builder(this.store).idCodec(SIGNER).build();
	}

	@Property(tries = 2000)
	void anyStringIsRejectedUnlessItIsAWellFormedId(@ForAll @StringLength(max = 200) String value) {
		String decoded = this.plain.decodeId(value);
		if (decoded != null) {
			assertThat(decoded).isEqualTo(value).matches("[A-Za-z0-9_-]{43}");
		}
		assertThat(this.signed.decodeId(value)).as("an unsigned value is never accepted when ids are signed").isNull();
	}

	@Property(tries = 1000)
	void signedIdsVerifyAndAnyAlterationIsRejected(@ForAll @IntRange(min = 0, max = 1000) int position,
			@ForAll char replacement) {
		String id = GENERATOR.generate();
		String value = SIGNER.encode(id);
		assertThat(this.signed.decodeId(value)).isEqualTo(id);
		int index = position % value.length();
		Assume.that(value.charAt(index) != replacement);
		String altered = value.substring(0, index) + replacement + value.substring(index + 1);
		assertThat(this.signed.decodeId(altered)).isNull();
	}

	@Property(tries = 500)
	void aSignatureFromAnotherKeyIsRejected(@ForAll @Size(min = 32, max = 64) byte[] key) {
		HmacSessionIdCodec other = new HmacSessionIdCodec(List.of(key));
		String id = GENERATOR.generate();
		assertThat(this.signed.decodeId(other.encode(id))).isNull();
	}

	@Property(tries = 1000)
	void anyCookieHeaderCostsNoStoreAccessAndIsNeverAdopted(@ForAll("cookieHeaders") String header) {
		this.store.reset();
		MockServerWebExchange exchange = MockServerWebExchange
			.from(withCookieHeader(header).header("X-Session-Id", header));
		List<String> values = resolver().resolveSessionIds(exchange);
		Session session = this.signed.load(values).block();
		assertThat(this.store.total()).isZero();
		assertThat(values).doesNotContain(session.getId());
		assertThat(header).doesNotContain(session.getId());
	}

	@Property(tries = 500)
	void anyQueryStringCostsNoStoreAccess(@ForAll @StringLength(max = 300) String value) {
		this.store.reset();
		String uri = "/?session=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.GET, URI.create(uri)));
		List<String> values = resolver().resolveSessionIds(exchange);
		assertThat(values).containsExactly(value);
		Session session = this.signed.load(values).block();
		assertThat(this.store.total()).isZero();
		assertThat(session.getId()).isNotEqualTo(value);
	}

	@Property(tries = 300)
	void aGenuineIdAmongNoiseIsLookedUpExactlyOnce(@ForAll("wellFormedCookies") String noise) {
		this.store.reset();
		String id = GENERATOR.generate();
		String header = noise + "; SESSION=" + SIGNER.encode(id) + "; " + noise;
		MockServerWebExchange exchange = MockServerWebExchange.from(withCookieHeader(header));
		this.signed.load(resolver().resolveSessionIds(exchange)).block();
		assertThat(this.store.loads).hasValue(1);
		assertThat(this.store.total()).isEqualTo(1);
	}

	@Property(tries = 1000)
	void jsonCodecFailsOnlyWithItsOwnExceptionOnRandomBytes(@ForAll @Size(max = 300) byte[] bytes) {
		JsonAttributeCodec codec = new JsonAttributeCodec();
		try {
			codec.decode(bytes);
			codec.decode(bytes, Integer.class);
		}
		catch (AttributeCodecException expected) {
			// the documented outcome for unreadable bytes
		}
	}

	@Property(tries = 1000)
	void jdkCodecFailsOnlyWithItsOwnExceptionOnRandomBytes(@ForAll("serializedLooking") byte[] bytes) {
		JdkAttributeCodec codec = new JdkAttributeCodec();
		try {
			codec.decode(bytes);
		}
		catch (AttributeCodecException expected) {
			// the documented outcome for unreadable or disallowed bytes
		}
	}

	@Property(tries = 1000)
	void randomBytesAreNeverARecord(@ForAll @Size(max = 400) byte[] bytes) {
		assertThatExceptionOfType(CorruptRecordException.class).isThrownBy(() -> SessionRecordFormat.read(bytes));
	}

	@Property(tries = 2000)
	void aDamagedRecordWithAValidChecksumFailsCleanlyOrReadsBack(@ForAll @IntRange(min = 0, max = 10_000) int offset,
			@ForAll byte value, @ForAll @IntRange(min = 1, max = 8) int run) {
		Map<String, byte[]> attributes = new LinkedHashMap<>();
		attributes.put("count", "42".getBytes(StandardCharsets.UTF_8));
		attributes.put("user", "\"alice\"".getBytes(StandardCharsets.UTF_8));
		SessionRecord record = new SessionRecord(Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(2_000),
				Duration.ofMinutes(30), null, attributes, "alice");
		byte[] bytes = SessionRecordFormat.write(record);
		int start = offset % (bytes.length - 4);
		for (int i = start; i < Math.min(start + run, bytes.length - 4); i++) {
			bytes[i] = value;
		}
		reseal(bytes);
		try {
			SessionRecord read = SessionRecordFormat.read(bytes);
			// Whatever survived the damage is a record that round-trips.
			assertThat(read.getMaxIdleTime()).isPositive();
			SessionRecord again = SessionRecordFormat.read(SessionRecordFormat.write(read));
			assertThat(again.getAttributes().keySet()).containsExactlyElementsOf(read.getAttributes().keySet());
			assertThat(again.getPrincipal()).isEqualTo(read.getPrincipal());
		}
		catch (CorruptRecordException expected) {
			// the documented outcome for damaged bytes
		}
	}

	@Property(tries = 300)
	void anIdNeverMapsToAnUnsafeStoreKey(@ForAll @StringLength(min = 1, max = 500) String id) {
		assertThat(SessionKeys.hash(id)).matches("[A-Za-z0-9_-]{43}");
		assertThat(SessionKeys.isValidKey(SessionKeys.hash(id))).isTrue();
	}

	@Provide
	Arbitrary<String> cookieHeaders() {
		Arbitrary<String> hostile = Arbitraries.of("../../../../etc/passwd", "..\\..\\windows", "%00", "\u0000", "\r\n",
				"' OR '1'='1", "*", "fastsession:*", "\"quoted\"", "ünïcödé", "\uD800", "a".repeat(6000),
				GENERATOR.generate(), GENERATOR.generate() + ".forged", "$(reboot)", "{\"$ne\":null}");
		Arbitrary<String> random = Arbitraries.strings().ofMaxLength(120);
		Arbitrary<String> value = Arbitraries.oneOf(hostile, random);
		Arbitrary<String> pair = Arbitraries.oneOf(value.map((v) -> "SESSION=" + v), value);
		return pair.list().ofMinSize(1).ofMaxSize(4).map((pairs) -> String.join("; ", pairs));
	}

	/**
	 * Syntactically valid cookie pairs with hostile values, including other
	 * {@code SESSION} cookies: a client that sends a broken header may lose its session,
	 * one that sends a valid header must not.
	 */
	@Provide
	Arbitrary<String> wellFormedCookies() {
		Arbitrary<String> value = Arbitraries.strings()
			.withChars("!#$%&'()*+-./:<>?@[]^_`{|}~")
			.withCharRange('0', '9')
			.withCharRange('A', 'Z')
			.withCharRange('a', 'z')
			.ofMinLength(1)
			.ofMaxLength(100);
		Arbitrary<String> name = Arbitraries.of("SESSION", "JSESSIONID", "other", "session");
		return Combinators.combine(name, value)
			.as((n, v) -> n + "=" + v)
			.list()
			.ofMinSize(1)
			.ofMaxSize(4)
			.map((pairs) -> String.join("; ", pairs));
	}

	@Provide
	Arbitrary<byte[]> serializedLooking() {
		Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
		// Half of them start with the serialization stream header, so the decoder gets
		// past its first check.
		return Arbitraries.oneOf(tail, tail.map((bytes) -> {
			byte[] withHeader = new byte[bytes.length + 4];
			withHeader[0] = (byte) 0xAC;
			withHeader[1] = (byte) 0xED;
			withHeader[2] = 0x00;
			withHeader[3] = 0x05;
			System.arraycopy(bytes, 0, withHeader, 4, bytes.length);
			return withHeader;
		}));
	}

	/**
	 * A request whose cookies are what Reactor Netty's server would decode from this
	 * {@code Cookie} header (the mock request does not parse the header itself).
	 */
	private static MockServerHttpRequest.BaseBuilder<?> withCookieHeader(String header) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/").header("Cookie", header);
		for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
			request.cookie(new HttpCookie(cookie.name(), cookie.value()));
		}
		return request;
	}

	private static SessionIdResolver resolver() {
		return new CompositeSessionIdResolver(
				List.of(new CookieSessionIdResolver(), new HeaderSessionIdResolver(), new QuerySessionIdResolver()));
	}

	private static void reseal(byte[] bytes) {
		CRC32C crc = new CRC32C();
		crc.update(bytes, 0, bytes.length - 4);
		ByteBuffer.wrap(bytes, bytes.length - 4, 4).putInt((int) crc.getValue());
	}

}
