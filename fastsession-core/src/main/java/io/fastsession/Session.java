package io.fastsession;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A server-side session, as seen by one request.
 * <p>
 * The session is loaded once per request and all reads and writes happen in memory. When
 * the response is committed, the {@link SessionManager} writes only what changed: a new
 * session that never received an attribute is not stored at all, an unchanged session
 * writes nothing (except a throttled refresh of its expiry), and a changed one writes
 * only the changed and removed attributes.
 * <p>
 * Values are captured when {@link #set(String, Object) set}: they are encoded by the
 * configured {@link AttributeCodec} at once, so an encoding problem fails at the call
 * site and later changes to a mutable value are not stored unless it is set again.
 * <p>
 * Instances are meant to be used by one request at a time; they are safe to hand between
 * the threads that serve that request.
 *
 * @author fastsession authors
 */
public interface Session {

	/**
	 * Return the id of the session, generating it first if this is a new session. The id
	 * is a secret: it should only ever travel in the session cookie or header.
	 * @return the session id
	 */
	String getId();

	/**
	 * Return the value of an attribute in its natural form for the codec (for the JSON
	 * codec: {@code String}, {@code Integer}, {@code Long}, {@code Double},
	 * {@code Boolean}, {@code List} or {@code Map}).
	 * @param name the attribute name
	 * @return the value, or {@code null} if the attribute is absent
	 */
	@Nullable Object get(String name);

	/**
	 * Return the value of an attribute converted to the given type.
	 * @param <T> the type to read
	 * @param name the attribute name
	 * @param type the type to read
	 * @return the value, or {@code null} if the attribute is absent
	 */
	<T> @Nullable T get(String name, Class<T> type);

	/**
	 * Return the value of an attribute converted to the given type, or a default.
	 * @param <T> the type to read
	 * @param name the attribute name
	 * @param type the type to read
	 * @param defaultValue the value to return when the attribute is absent
	 * @return the value or the default
	 */
	default <T> T getOrDefault(String name, Class<T> type, T defaultValue) {
		T value = get(name, type);
		return (value != null) ? value : defaultValue;
	}

	/**
	 * Set an attribute. A {@code null} value removes it.
	 * @param name the attribute name
	 * @param value the value
	 * @throws AttributeCodecException if the codec cannot encode the value
	 * @throws IllegalStateException if the session was invalidated
	 */
	void set(String name, @Nullable Object value);

	/**
	 * Set an attribute that must come back as the same Java type, even untyped and after
	 * a restart: it is encoded by the manager's typed codec (Java serialization
	 * restricted to an allow-list of classes, by default) instead of the attribute codec.
	 * The {@code WebSession} view uses it for every value put in its attribute map, such
	 * as Spring Security's {@code SecurityContext}. A {@code null} value removes the
	 * attribute.
	 * @param name the attribute name
	 * @param value the value
	 * @throws AttributeCodecException if the typed codec cannot encode the value
	 * @throws IllegalStateException if the session was invalidated
	 */
	void setTyped(String name, @Nullable Object value);

	/**
	 * Remove an attribute, if present.
	 * @param name the attribute name
	 * @throws IllegalStateException if the session was invalidated
	 */
	void remove(String name);

	/**
	 * Remove every attribute (fasthttpsession's {@code Flush}). The session itself stays.
	 * @throws IllegalStateException if the session was invalidated
	 */
	void clear();

	/**
	 * Return the names of the attributes.
	 * @return an unmodifiable snapshot of the attribute names
	 */
	Set<String> getAttributeNames();

	/**
	 * Return all attributes, each read as by {@link #get(String)}.
	 * @return an unmodifiable snapshot of the attributes
	 */
	Map<String, Object> getAttributes();

	/**
	 * Whether the session was created by this request, as opposed to loaded from the
	 * store.
	 * @return {@code true} for a session that is not stored yet
	 */
	boolean isNew();

	/**
	 * Return when the session was created.
	 * @return the creation time
	 */
	Instant getCreationTime();

	/**
	 * Return when the session was last accessed: the start of the current request.
	 * @return the last access time
	 */
	Instant getLastAccessTime();

	/**
	 * Return the idle timeout of this session.
	 * @return the idle timeout
	 */
	Duration getMaxIdleTime();

	/**
	 * Override the idle timeout for this session only (for example a longer one after a
	 * "remember me" login). The absolute timeout, if configured, still applies.
	 * @param maxIdleTime the idle timeout, positive
	 */
	void setMaxIdleTime(Duration maxIdleTime);

	/**
	 * Give the session a new id and keep its data. The old id stops working when the
	 * response is committed. Call this whenever the privilege level changes, for example
	 * at login, to defeat session fixation.
	 * @throws IllegalStateException if the session was invalidated
	 */
	void regenerateId();

	/**
	 * Invalidate the session: it is deleted from the store when the response is
	 * committed, the client's cookie is expired, and no request still in flight can bring
	 * it back.
	 */
	void invalidate();

	/**
	 * Whether {@link #invalidate()} was called.
	 * @return {@code true} if the session is invalidated
	 */
	boolean isInvalidated();

}
