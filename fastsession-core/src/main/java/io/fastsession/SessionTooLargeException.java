package io.fastsession;

/**
 * A session would exceed a limit: an attribute or the whole session larger than the
 * manager's limits allow, too many attributes, or more than its store accepts
 * (memcached's item size, for example). Thrown where the change is made
 * ({@link Session#set}) or at commit; either way nothing was written: the stored session
 * is as it was before the change. The web layer answers {@code 507 Insufficient Storage}.
 *
 * @author fastsession authors
 */
public class SessionTooLargeException extends SessionStoreException {

	private static final long serialVersionUID = 1L;

	public SessionTooLargeException(String message) {
		super(message);
	}

}
