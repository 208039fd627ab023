package io.fastsession.codec;

/**
 * Turns attribute values into bytes for the store and back (fasthttpsession's custom
 * serialization). Implementations must be thread-safe and must treat stored bytes as
 * untrusted: a store or its backup may have been tampered with.
 *
 * @author fastsession authors
 * @see JsonAttributeCodec
 * @see JdkAttributeCodec
 */
public interface AttributeCodec {

	/**
	 * Encode a value.
	 * @param value the value, never {@code null}
	 * @return its bytes
	 * @throws AttributeCodecException if the value cannot be encoded
	 */
	byte[] encode(Object value);

	/**
	 * Decode a value in its natural form for this codec.
	 * @param bytes the stored bytes
	 * @return the value
	 * @throws AttributeCodecException if the bytes cannot be decoded
	 */
	Object decode(byte[] bytes);

	/**
	 * Decode a value as the given type.
	 * @param <T> the type to read
	 * @param bytes the stored bytes
	 * @param type the type to read
	 * @return the value
	 * @throws AttributeCodecException if the bytes cannot be decoded as that type
	 */
	<T> T decode(byte[] bytes, Class<T> type);

}
