package io.fastsession;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What the client must be told after a session was committed: nothing, a new id, a
 * refreshed lifetime of the current id, or that its id is dead. Returned by
 * {@link SessionManager#commit(Session)} and applied by the web layer's id transport.
 *
 * @author fastsession authors
 */
public final class SessionCommit {

	/** The client keeps what it has. */
	public static final SessionCommit NONE = new SessionCommit(Action.NONE, null);

	/** The client's id is dead: expire the cookie. */
	public static final SessionCommit EXPIRE = new SessionCommit(Action.EXPIRE, null);

	private final Action action;

	private final @Nullable String clientValue;

	private SessionCommit(Action action, @Nullable String clientValue) {
		this.action = action;
		this.clientValue = clientValue;
	}

	static SessionCommit sendId(String clientValue) {
		return new SessionCommit(Action.SEND_ID, Objects.requireNonNull(clientValue));
	}

	static SessionCommit refresh(String clientValue) {
		return new SessionCommit(Action.REFRESH, Objects.requireNonNull(clientValue));
	}

	public Action getAction() {
		return this.action;
	}

	/**
	 * Return the encoded id to send, for {@link Action#SEND_ID} and
	 * {@link Action#REFRESH}.
	 * @return the value for the client, or {@code null}
	 */
	public @Nullable String getClientValue() {
		return this.clientValue;
	}

	@Override
	public String toString() {
		return "SessionCommit[" + this.action + "]";
	}

	/**
	 * What to tell the client.
	 */
	public enum Action {

		/** Nothing. */
		NONE,

		/** A new or changed id: the client must store it. */
		SEND_ID,

		/**
		 * The id is unchanged and its expiry moved: transports with a lifetime of their
		 * own (a persistent cookie) renew it.
		 */
		REFRESH,

		/** The id is dead: the client should drop it. */
		EXPIRE

	}

}
