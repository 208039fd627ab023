package io.fastsession.codec;

/**
 * An attribute value could not be encoded, or stored bytes could not be decoded. On
 * decode, the session manager drops the session, logs it (without the id) and starts a
 * fresh one.
 *
 * @author fastsession authors
 */
public class AttributeCodecException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public AttributeCodecException(String message, Throwable cause) {
		super(message, cause);
	}

	public AttributeCodecException(String message) {
		super(message);
	}

}
