package io.fastsession.id;

import org.jspecify.annotations.Nullable;

/**
 * Turns a session id into the value the client holds and back (fasthttpsession's
 * {@code EncodeFunc} and {@code DecodeFunc}). Applied to every transport: cookie, header
 * and query alike.
 * <p>
 * Implementations must be thread-safe, must not block, and must treat their input as
 * hostile: {@link #decode} gets whatever a client sent.
 *
 * @author fastsession authors
 * @see HmacSessionIdCodec
 */
public interface SessionIdCodec {

	/**
	 * Encode an id for the client.
	 * @param sessionId the id
	 * @return the value to send
	 */
	String encode(String sessionId);

	/**
	 * Decode a client's value.
	 * @param value what the client sent
	 * @return the id, or {@code null} if the value is malformed or forged
	 */
	@Nullable String decode(String value);

	/**
	 * Return the codec that sends the id as it is.
	 * @return the identity codec
	 */
	static SessionIdCodec plain() {
		return PlainSessionIdCodec.INSTANCE;
	}

}
