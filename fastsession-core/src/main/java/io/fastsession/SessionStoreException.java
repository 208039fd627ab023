package io.fastsession;

/**
 * A session store could not do its job: the backend is down, slow past the configured
 * timeout, or out of capacity. The web layer answers such requests with
 * {@code 503 Service Unavailable}.
 *
 * @author fastsession authors
 */
public class SessionStoreException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public SessionStoreException(String message) {
		super(message);
	}

	public SessionStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
