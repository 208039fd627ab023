package io.fastsession;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default {@link AttributeCodec}: JSON through a Jackson 3 {@link JsonMapper},
 * normally the application's. Typed reads convert to the requested type; untyped reads
 * give {@code String}, numbers, {@code Boolean}, {@code List} and {@code Map}. The codec
 * never writes or reads type ids, so stored bytes cannot name a class to instantiate:
 * there are no deserialization gadgets (unless the given mapper enables default typing
 * itself).
 *
 * @author fastsession authors
 */
public final class JsonAttributeCodec implements AttributeCodec {

	private final JsonMapper mapper;

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
	}

	@Override
	public byte[] encode(Object value) {
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
