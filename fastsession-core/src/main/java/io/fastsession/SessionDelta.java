package io.fastsession;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A change to a stored session, as written by {@link SessionStore#update}: the attributes
 * that changed, the attributes that were removed, whether all earlier attributes were
 * cleared first, and the new access time and idle timeout. A delta with no attribute
 * change is a touch: it only moves the expiry.
 * <p>
 * Stores apply a delta in this order: clear (if requested), remove, then put the changed
 * attributes. Immutable.
 *
 * @author fastsession authors
 */
public final class SessionDelta {

	private final Instant lastAccessTime;

	private final Duration maxIdleTime;

	private final Instant expiresAt;

	private final boolean clearAll;

	private final Map<String, byte[]> changed;

	private final Set<String> removed;

	private final @Nullable String principal;

	private final @Nullable String previousPrincipal;

	/**
	 * Create a delta for a session without a principal.
	 * @param lastAccessTime the new last access time
	 * @param maxIdleTime the idle timeout, positive
	 * @param absoluteExpiry the session's absolute expiry, used to compute
	 * {@link #getExpiresAt()}, or {@code null}
	 * @param clearAll whether every stored attribute is removed before the change is
	 * applied
	 * @param changed attributes to put; copied
	 * @param removed attribute names to remove; copied
	 */
	public SessionDelta(Instant lastAccessTime, Duration maxIdleTime, @Nullable Instant absoluteExpiry,
			boolean clearAll, Map<String, byte[]> changed, Set<String> removed) {
		this(lastAccessTime, maxIdleTime, absoluteExpiry, clearAll, changed, removed, null, null);
	}

	/**
	 * Create a delta.
	 * @param lastAccessTime the new last access time
	 * @param maxIdleTime the idle timeout, positive
	 * @param absoluteExpiry the session's absolute expiry, used to compute
	 * {@link #getExpiresAt()}, or {@code null}
	 * @param clearAll whether every stored attribute is removed before the change is
	 * applied
	 * @param changed attributes to put; copied
	 * @param removed attribute names to remove; copied
	 * @param principal the session's principal after this write, or {@code null}
	 * @param previousPrincipal the principal stored before this write, or {@code null}
	 */
	public SessionDelta(Instant lastAccessTime, Duration maxIdleTime, @Nullable Instant absoluteExpiry,
			boolean clearAll, Map<String, byte[]> changed, Set<String> removed, @Nullable String principal,
			@Nullable String previousPrincipal) {
		Objects.requireNonNull(lastAccessTime, "lastAccessTime");
		Objects.requireNonNull(maxIdleTime, "maxIdleTime");
		this.lastAccessTime = lastAccessTime.truncatedTo(ChronoUnit.MILLIS);
		this.maxIdleTime = maxIdleTime.truncatedTo(ChronoUnit.MILLIS);
		this.expiresAt = SessionRecord.expiresAt(this.lastAccessTime, this.maxIdleTime,
				(absoluteExpiry != null) ? absoluteExpiry.truncatedTo(ChronoUnit.MILLIS) : null);
		this.clearAll = clearAll;
		this.changed = Collections.unmodifiableMap(new LinkedHashMap<>(changed));
		Set<String> removedNames = new LinkedHashSet<>(removed);
		removedNames.removeAll(changed.keySet());
		this.removed = Collections.unmodifiableSet(removedNames);
		this.principal = principal;
		this.previousPrincipal = previousPrincipal;
	}

	public Instant getLastAccessTime() {
		return this.lastAccessTime;
	}

	public Duration getMaxIdleTime() {
		return this.maxIdleTime;
	}

	/**
	 * Return when the session expires after this write, for stores that keep a TTL.
	 * @return the new expiry
	 */
	public Instant getExpiresAt() {
		return this.expiresAt;
	}

	/**
	 * Whether every stored attribute is removed before this change is applied.
	 * @return {@code true} to clear first
	 */
	public boolean isClearAll() {
		return this.clearAll;
	}

	/**
	 * Return the attributes to put. The arrays are shared: do not modify them.
	 * @return an unmodifiable map of attribute name to encoded value
	 */
	public Map<String, byte[]> getChanged() {
		return this.changed;
	}

	/**
	 * Return the names of the attributes to remove; never overlaps {@link #getChanged()}.
	 * @return an unmodifiable set of names
	 */
	public Set<String> getRemoved() {
		return this.removed;
	}

	/**
	 * Return the session's principal after this write.
	 * @return the principal name, or {@code null}
	 */
	public @Nullable String getPrincipal() {
		return this.principal;
	}

	/**
	 * Return the principal the session had before this write, for stores that keep an
	 * index.
	 * @return the previous principal name, or {@code null}
	 */
	public @Nullable String getPreviousPrincipal() {
		return this.previousPrincipal;
	}

	/**
	 * Whether this write changes the session's principal.
	 * @return {@code true} if the principal changes
	 */
	public boolean isPrincipalChanged() {
		return !Objects.equals(this.principal, this.previousPrincipal);
	}

	/**
	 * Whether this delta only refreshes the expiry.
	 * @return {@code true} if no attribute changes
	 */
	public boolean isTouchOnly() {
		return !this.clearAll && this.changed.isEmpty() && this.removed.isEmpty() && !isPrincipalChanged();
	}

	@Override
	public String toString() {
		return "SessionDelta[lastAccess=" + this.lastAccessTime + ", maxIdle=" + this.maxIdleTime + ", clearAll="
				+ this.clearAll + ", changed=" + this.changed.keySet() + ", removed=" + this.removed + "]";
	}

}
