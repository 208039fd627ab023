package io.fastsession.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link SessionStore} keeps for one session: its timestamps, its idle timeout
 * (and whether that is the session's own, set with {@link Session#setMaxIdleTime}, or the
 * configured default at the last write), its optional absolute expiry, its principal, and
 * its attributes as codec-encoded bytes. Stores never see the session id, only its
 * {@link SessionKeys#hash(String) hash}.
 * <p>
 * Immutable; instants are truncated to milliseconds so that every store round-trips them
 * exactly.
 *
 * @author fastsession authors
 */
public final class SessionRecord {

	private static final long NO_EXPIRY = Long.MIN_VALUE;

	// Epoch milliseconds rather than Instant and Duration objects: the memory provider
	// keeps a record per session, and four objects fewer make it smaller.
	private final long creationTime;

	private final long lastAccessTime;

	private final long maxIdleTime;

	private final boolean maxIdleTimeOverridden;

	/** Epoch milliseconds; {@link #NO_EXPIRY} for none. */
	private final long absoluteExpiry;

	private final Map<String, byte[]> attributes;

	private final @Nullable String principal;

	/**
	 * Create a record without a principal.
	 * @param creationTime when the session was created
	 * @param lastAccessTime when the session was last accessed
	 * @param maxIdleTime the idle timeout, positive
	 * @param absoluteExpiry when the session expires regardless of activity, or
	 * {@code null}
	 * @param attributes the encoded attributes; copied
	 */
	public SessionRecord(Instant creationTime, Instant lastAccessTime, Duration maxIdleTime,
			@Nullable Instant absoluteExpiry, Map<String, byte[]> attributes) {
		this(creationTime, lastAccessTime, maxIdleTime, absoluteExpiry, attributes, null);
	}

	/**
	 * Create a record.
	 * @param creationTime when the session was created
	 * @param lastAccessTime when the session was last accessed
	 * @param maxIdleTime the idle timeout, positive
	 * @param absoluteExpiry when the session expires regardless of activity, or
	 * {@code null}
	 * @param attributes the encoded attributes; copied
	 * @param principal the name of the user the session belongs to, or {@code null}
	 */
	public SessionRecord(Instant creationTime, Instant lastAccessTime, Duration maxIdleTime,
			@Nullable Instant absoluteExpiry, Map<String, byte[]> attributes, @Nullable String principal) {
		this(creationTime, lastAccessTime, maxIdleTime, false, absoluteExpiry, attributes, principal);
	}

	/**
	 * Create a record.
	 * @param creationTime when the session was created
	 * @param lastAccessTime when the session was last accessed
	 * @param maxIdleTime the idle timeout, positive
	 * @param maxIdleTimeOverridden whether the idle timeout is the session's own rather
	 * than the configured default
	 * @param absoluteExpiry when the session expires regardless of activity, or
	 * {@code null}
	 * @param attributes the encoded attributes; copied
	 * @param principal the name of the user the session belongs to, or {@code null}
	 */
	public SessionRecord(Instant creationTime, Instant lastAccessTime, Duration maxIdleTime,
			boolean maxIdleTimeOverridden, @Nullable Instant absoluteExpiry, Map<String, byte[]> attributes,
			@Nullable String principal) {
		this(Objects.requireNonNull(creationTime, "creationTime").toEpochMilli(),
				Objects.requireNonNull(lastAccessTime, "lastAccessTime").toEpochMilli(), positiveMillis(maxIdleTime),
				maxIdleTimeOverridden, (absoluteExpiry != null) ? absoluteExpiry.toEpochMilli() : NO_EXPIRY,
				compact(Objects.requireNonNull(attributes, "attributes")), principal);
	}

	/**
	 * A record from fields already checked, with attributes already immutable and owned:
	 * what the public constructor makes of its arguments, and what a delta makes of a
	 * record.
	 */
	private SessionRecord(long creationTime, long lastAccessTime, long maxIdleTime, boolean maxIdleTimeOverridden,
			long absoluteExpiry, Map<String, byte[]> attributes, @Nullable String principal) {
		this.creationTime = creationTime;
		this.lastAccessTime = lastAccessTime;
		this.maxIdleTime = maxIdleTime;
		this.maxIdleTimeOverridden = maxIdleTimeOverridden;
		this.absoluteExpiry = absoluteExpiry;
		this.attributes = attributes;
		this.principal = principal;
	}

	private static long positiveMillis(Duration maxIdleTime) {
		Objects.requireNonNull(maxIdleTime, "maxIdleTime");
		if (maxIdleTime.isNegative() || maxIdleTime.isZero()) {
			throw new IllegalArgumentException("maxIdleTime must be positive");
		}
		return maxIdleTime.toMillis();
	}

	/**
	 * An immutable copy that keeps the order: {@code Map.of} for none or one attribute
	 * (the common small session: no table and no wrapper), an unmodifiable
	 * {@code LinkedHashMap} for more ({@code Map.copyOf} would not keep their order).
	 * Also what a {@link SessionDelta} keeps of its changes.
	 */
	static Map<String, byte[]> compact(Map<String, byte[]> attributes) {
		if (attributes.isEmpty()) {
			return Map.of();
		}
		if (attributes.size() == 1) {
			Map.Entry<String, byte[]> only = attributes.entrySet().iterator().next();
			return Map.of(only.getKey(), only.getValue());
		}
		return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
	}

	public Instant getCreationTime() {
		return Instant.ofEpochMilli(this.creationTime);
	}

	public Instant getLastAccessTime() {
		return Instant.ofEpochMilli(this.lastAccessTime);
	}

	public Duration getMaxIdleTime() {
		return Duration.ofMillis(this.maxIdleTime);
	}

	/**
	 * Whether the idle timeout is the session's own, set with
	 * {@link Session#setMaxIdleTime}, rather than the configured default (which the
	 * manager applies instead when the configuration changes).
	 * @return {@code true} for a session's own idle timeout
	 */
	public boolean isMaxIdleTimeOverridden() {
		return this.maxIdleTimeOverridden;
	}

	/**
	 * Return when the session expires regardless of activity.
	 * @return the absolute expiry, or {@code null} when there is none
	 */
	public @Nullable Instant getAbsoluteExpiry() {
		return (this.absoluteExpiry != NO_EXPIRY) ? Instant.ofEpochMilli(this.absoluteExpiry) : null;
	}

	/**
	 * Return the encoded attributes. The arrays are shared: do not modify them.
	 * @return an unmodifiable map of attribute name to encoded value
	 */
	public Map<String, byte[]> getAttributes() {
		return this.attributes;
	}

	/**
	 * Return the name of the user the session belongs to, for the principal index.
	 * @return the principal name, or {@code null} for an anonymous session
	 */
	public @Nullable String getPrincipal() {
		return this.principal;
	}

	/**
	 * Return when the session expires: the earlier of last access plus the idle timeout
	 * and the absolute expiry.
	 * @return the expiry instant
	 */
	public Instant getExpiresAt() {
		return Instant.ofEpochMilli(expiresAtMillis());
	}

	private long expiresAtMillis() {
		long idleExpiry = this.lastAccessTime + this.maxIdleTime;
		return (this.absoluteExpiry != NO_EXPIRY && this.absoluteExpiry < idleExpiry) ? this.absoluteExpiry
				: idleExpiry;
	}

	/**
	 * Whether the session has expired at the given instant.
	 * @param now the current time
	 * @return {@code true} if the session expired at or before {@code now}
	 */
	public boolean isExpired(Instant now) {
		return now.toEpochMilli() >= expiresAtMillis();
	}

	/**
	 * Return a copy of this record with a delta applied, as stores that keep whole
	 * records merge a write: attributes cleared, removed and put; the access time moved;
	 * the idle timeout replaced unless this record has one of its own and the delta does
	 * not set one; the principal replaced only if the delta changes it; the creation time
	 * and absolute expiry kept.
	 * @param delta the change to apply
	 * @return the merged record
	 */
	public SessionRecord apply(SessionDelta delta) {
		long maxIdleTime = positiveMillis(delta.maxIdleTimeAfter(getMaxIdleTime(), this.maxIdleTimeOverridden));
		return new SessionRecord(this.creationTime, delta.getLastAccessTime().toEpochMilli(), maxIdleTime,
				this.maxIdleTimeOverridden || delta.isMaxIdleTimeOverride(), this.absoluteExpiry, merge(delta),
				delta.isPrincipalChanged() ? delta.getPrincipal() : this.principal);
	}

	/**
	 * The attributes after a delta, immutable. The common write of a small session, one
	 * attribute set where there was at most that one, builds its {@code Map.of} at once,
	 * without a table in between.
	 */
	private Map<String, byte[]> merge(SessionDelta delta) {
		Map<String, byte[]> changed = delta.getChanged();
		if (changed.size() == 1 && delta.getRemoved().isEmpty()) {
			Map.Entry<String, byte[]> only = changed.entrySet().iterator().next();
			if (delta.isClearAll() || this.attributes.isEmpty()
					|| (this.attributes.size() == 1 && this.attributes.containsKey(only.getKey()))) {
				return Map.of(only.getKey(), only.getValue());
			}
		}
		Map<String, byte[]> merged = delta.isClearAll() ? new LinkedHashMap<>() : new LinkedHashMap<>(this.attributes);
		delta.getRemoved().forEach(merged::remove);
		merged.putAll(changed);
		return (merged.size() > 1) ? Collections.unmodifiableMap(merged) : compact(merged);
	}

	/**
	 * Return when a session expires: the earlier of its last access plus its idle timeout
	 * and its absolute expiry.
	 * @param lastAccessTime the last access
	 * @param maxIdleTime the idle timeout
	 * @param absoluteExpiry the absolute expiry, or {@code null}
	 * @return the expiry
	 */
	public static Instant expiresAt(Instant lastAccessTime, Duration maxIdleTime, @Nullable Instant absoluteExpiry) {
		Instant idleExpiry = lastAccessTime.plus(maxIdleTime);
		return (absoluteExpiry != null && absoluteExpiry.isBefore(idleExpiry)) ? absoluteExpiry : idleExpiry;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof SessionRecord other)) {
			return false;
		}
		if (this.creationTime != other.creationTime || this.lastAccessTime != other.lastAccessTime
				|| this.maxIdleTime != other.maxIdleTime || this.maxIdleTimeOverridden != other.maxIdleTimeOverridden
				|| this.absoluteExpiry != other.absoluteExpiry || !Objects.equals(this.principal, other.principal)
				|| this.attributes.size() != other.attributes.size()) {
			return false;
		}
		for (Map.Entry<String, byte[]> entry : this.attributes.entrySet()) {
			if (!Arrays.equals(entry.getValue(), other.attributes.get(entry.getKey()))) {
				return false;
			}
		}
		return true;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.creationTime, this.lastAccessTime, this.maxIdleTime, this.absoluteExpiry,
				this.attributes.keySet());
	}

	@Override
	public String toString() {
		return "SessionRecord[created=" + getCreationTime() + ", lastAccess=" + getLastAccessTime() + ", maxIdle="
				+ getMaxIdleTime() + (this.maxIdleTimeOverridden ? " (own)" : "") + ", absoluteExpiry="
				+ getAbsoluteExpiry() + ", principal=" + this.principal + ", attributes=" + this.attributes.keySet()
				+ "]";
	}

}
