package io.fastsession;

import java.util.Objects;

import io.fastsession.id.SessionIdCodec;
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

	/**
	 * The encoded id, once encoded: at once for a new id, which is always sent; on first
	 * demand for a refresh, which most transports ignore (a browser-session cookie has no
	 * lifetime to renew), so that a signing codec does not sign on every write for
	 * nothing. Encoding is deterministic, so a race encodes twice to the same value.
	 */
	private @Nullable String clientValue;

	/**
	 * The id to encode on first demand, with its codec; {@code null} for a commit made
	 * with its value.
	 */
	private final @Nullable String id;

	private final @Nullable SessionIdCodec codec;

	private SessionCommit(Action action, @Nullable String clientValue) {
		this.action = action;
		this.clientValue = clientValue;
		this.id = null;
		this.codec = null;
	}

	private SessionCommit(Action action, String id, SessionIdCodec codec) {
		this.action = action;
		this.id = id;
		this.codec = codec;
	}

	static SessionCommit sendId(String clientValue) {
		return new SessionCommit(Action.SEND_ID, Objects.requireNonNull(clientValue));
	}

	/**
	 * A refresh of the current id, encoded with the codec only if the transport asks for
	 * the value.
	 */
	static SessionCommit refresh(String id, SessionIdCodec codec) {
		return new SessionCommit(Action.REFRESH, Objects.requireNonNull(id), Objects.requireNonNull(codec));
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
		String value = this.clientValue;
		if (value == null && this.codec != null && this.id != null) {
			value = this.codec.encode(this.id);
			this.clientValue = value;
		}
		return value;
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
