package io.fastsession.store;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A change to a stored session, as written by {@link SessionStore#update}: the attributes
 * that changed, the attributes that were removed, whether all earlier attributes were
 * cleared first, the new access time, the idle timeout, and the principal. A delta with
 * no attribute change is a touch: it only moves the expiry.
 * <p>
 * A delta carries only what its request changed, so that a slow request working from an
 * older copy of the session cannot undo a newer change made by another one:
 * <ul>
 * <li>the principal is written only when {@link #isPrincipalChanged()};</li>
 * <li>the idle timeout is the session's own when {@link #isMaxIdleTimeOverride()} (set
 * with {@link Session#setMaxIdleTime}); otherwise it is the configured default, which
 * replaces the stored one only if the stored session has no override of its own
 * ({@link #maxIdleTimeAfter});</li>
 * <li>the absolute expiry is never changed by an update.</li>
 * </ul>
 * Stores apply a delta in this order: clear (if requested), remove, then put the changed
 * attributes; and they compute the new expiry from the idle timeout that results
 * ({@link #expiresAfter}). {@link SessionRecord#apply} does all of it for stores that
 * keep whole records. Immutable.
 *
 * @author fastsession authors
 */
public final class SessionDelta {

	private final Instant lastAccessTime;

	private final Duration maxIdleTime;

	private final boolean maxIdleTimeOverride;

	private final boolean clearAll;

	private final Map<String, byte[]> changed;

	private final Set<String> removed;

	private final @Nullable String principal;

	private final @Nullable String previousPrincipal;

	/**
	 * Create a delta for a session without a principal and without an idle timeout of its
	 * own.
	 * @param lastAccessTime the new last access time
	 * @param maxIdleTime the configured idle timeout, positive
	 * @param clearAll whether every stored attribute is removed before the change is
	 * applied
	 * @param changed attributes to put; copied
	 * @param removed attribute names to remove; copied
	 */
	public SessionDelta(Instant lastAccessTime, Duration maxIdleTime, boolean clearAll, Map<String, byte[]> changed,
			Set<String> removed) {
		this(lastAccessTime, maxIdleTime, false, clearAll, changed, removed, null, null);
	}

	/**
	 * Create a delta.
	 * @param lastAccessTime the new last access time
	 * @param maxIdleTime the idle timeout, positive: the session's own if
	 * {@code maxIdleTimeOverride}, the configured default otherwise
	 * @param maxIdleTimeOverride whether this write sets the session's own idle timeout
	 * @param clearAll whether every stored attribute is removed before the change is
	 * applied
	 * @param changed attributes to put; copied
	 * @param removed attribute names to remove; copied
	 * @param principal the session's principal after this write, or {@code null}
	 * @param previousPrincipal the principal the writing request loaded, or {@code null};
	 * the principal is written only when the two differ
	 */
	public SessionDelta(Instant lastAccessTime, Duration maxIdleTime, boolean maxIdleTimeOverride, boolean clearAll,
			Map<String, byte[]> changed, Set<String> removed, @Nullable String principal,
			@Nullable String previousPrincipal) {
		Objects.requireNonNull(lastAccessTime, "lastAccessTime");
		Objects.requireNonNull(maxIdleTime, "maxIdleTime");
		if (maxIdleTime.isNegative() || maxIdleTime.isZero()) {
			throw new IllegalArgumentException("maxIdleTime must be positive");
		}
		this.lastAccessTime = lastAccessTime.truncatedTo(ChronoUnit.MILLIS);
		this.maxIdleTime = maxIdleTime.truncatedTo(ChronoUnit.MILLIS);
		this.maxIdleTimeOverride = maxIdleTimeOverride;
		this.clearAll = clearAll;
		this.changed = SessionRecord.compact(changed);
		this.removed = removedOnly(removed, changed);
		this.principal = principal;
		this.previousPrincipal = previousPrincipal;
	}

	/** The removed names that are not set again, immutable. */
	private static Set<String> removedOnly(Set<String> removed, Map<String, byte[]> changed) {
		if (removed.isEmpty()) {
			return Set.of();
		}
		Set<String> names = new LinkedHashSet<>(removed);
		names.removeAll(changed.keySet());
		return Collections.unmodifiableSet(names);
	}

	public Instant getLastAccessTime() {
		return this.lastAccessTime;
	}

	/**
	 * Return the idle timeout of this write: the session's own when
	 * {@link #isMaxIdleTimeOverride()}, the configured default otherwise.
	 * @return the idle timeout
	 */
	public Duration getMaxIdleTime() {
		return this.maxIdleTime;
	}

	/**
	 * Whether this write sets the session's own idle timeout, which later writes without
	 * an override keep.
	 * @return {@code true} if the session's idle timeout was set by this request
	 */
	public boolean isMaxIdleTimeOverride() {
		return this.maxIdleTimeOverride;
	}

	/**
	 * Return the idle timeout a stored session has after this write.
	 * @param stored the stored idle timeout
	 * @param storedOverride whether the stored one is the session's own
	 * @return this write's idle timeout, unless it is the default and the stored session
	 * has one of its own
	 */
	public Duration maxIdleTimeAfter(Duration stored, boolean storedOverride) {
		return (storedOverride && !this.maxIdleTimeOverride) ? stored : this.maxIdleTime;
	}

	/**
	 * Return when a stored session expires after this write.
	 * @param storedMaxIdleTime the stored idle timeout
	 * @param storedOverride whether the stored idle timeout is the session's own
	 * @param absoluteExpiry the stored absolute expiry, or {@code null}
	 * @return the new expiry
	 */
	public Instant expiresAfter(Duration storedMaxIdleTime, boolean storedOverride, @Nullable Instant absoluteExpiry) {
		return SessionRecord.expiresAt(this.lastAccessTime, maxIdleTimeAfter(storedMaxIdleTime, storedOverride),
				absoluteExpiry);
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
	 * Return the principal the writing request loaded. Stores that keep an index remove
	 * the session from the principal they hold, which may be newer than this one.
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
		return !this.clearAll && this.changed.isEmpty() && this.removed.isEmpty() && !isPrincipalChanged()
				&& !this.maxIdleTimeOverride;
	}

	@Override
	public String toString() {
		return "SessionDelta[lastAccess=" + this.lastAccessTime + ", maxIdle=" + this.maxIdleTime
				+ (this.maxIdleTimeOverride ? " (own)" : "") + ", clearAll=" + this.clearAll + ", changed="
				+ this.changed.keySet() + ", removed=" + this.removed + "]";
	}

}
