package io.fastsession;

/**
 * A session is larger than its store accepts (memcached's item size, for example).
 * Nothing was written: the stored session is as it was before the request. The web layer
 * answers {@code 507 Insufficient Storage}.
 *
 * @author fastsession authors
 */
public class SessionTooLargeException extends SessionStoreException {

	private static final long serialVersionUID = 1L;

	public SessionTooLargeException(String message) {
		super(message);
	}

}
