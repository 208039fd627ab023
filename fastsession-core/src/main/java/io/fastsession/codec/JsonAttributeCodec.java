package io.fastsession.codec;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ClassUtils;

/**
 * The default {@link AttributeCodec}: JSON through a Jackson 3 {@link JsonMapper},
 * normally the application's. Typed reads convert to the requested type; untyped reads
 * give {@code String}, numbers, {@code Boolean}, {@code List} and {@code Map}. The codec
 * never writes or reads type ids, so stored bytes cannot name a class to instantiate:
 * there are no deserialization gadgets (unless the given mapper enables default typing
 * itself).
 * <p>
 * Integers, booleans and short ASCII strings, the values sessions hold most, are written
 * and read without a Jackson generator or parser, byte for byte as the mapper would: each
 * kind is checked against the mapper once, when the codec is created, and left to the
 * mapper if it differs.
 *
 * @author fastsession authors
 */
public final class JsonAttributeCodec implements AttributeCodec {

	private final JsonMapper mapper;

	private final JsonScalars scalars;

	/**
	 * Create a codec with a default {@link JsonMapper}.
	 */
	public JsonAttributeCodec() {
		this(JsonMapper.builder().build());
	}

	/**
	 * Create a codec with the given mapper.
	 * @param mapper the mapper
	 */
	public JsonAttributeCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.scalars = new JsonScalars(mapper);
	}

	@Override
	public byte[] encode(Object value) {
		byte[] scalar = this.scalars.write(value);
		if (scalar != null) {
			return scalar;
		}
		try {
			return this.mapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new AttributeCodecException("Cannot write " + value.getClass().getName() + " as JSON", ex);
		}
	}

	@Override
	public Object decode(byte[] bytes) {
		return decode(bytes, Object.class);
	}

	@Override
	public <T> T decode(byte[] bytes, Class<T> type) {
		Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
		Object scalar = this.scalars.read(bytes, boxed);
		if (scalar != null) {
			@SuppressWarnings("unchecked")
			T value = (T) scalar;
			return value;
		}
		try {
			T value = this.mapper.readValue(bytes, type);
			if (value == null) {
				throw new AttributeCodecException("Stored JSON is null");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new AttributeCodecException("Cannot read stored JSON as " + type.getName(), ex);
		}
	}

	@Override
	public String toString() {
		return "json";
	}

}
