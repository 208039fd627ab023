package io.fastsession;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fastsession.codec.AttributeCodec;
import io.fastsession.codec.AttributeCodecException;
import io.fastsession.store.SessionRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The {@link Session} of one request: the loaded state plus what this request changed.
 * All state is guarded by {@code this}; the manager reads it through {@link #snapshot()}
 * at commit.
 */
final class ManagedSession implements Session {

	/** Longest attribute name accepted (SQL stores index it). */
	static final int MAX_NAME_LENGTH = 200;

	private final SessionManager manager;

	private final Instant now;

	private final boolean clientSentId;

	private @Nullable String id;

	/** Key the loaded session is stored under; {@code null} for a new session. */
	private @Nullable String storedKey;

	/** Key of an expired or unreadable session to delete at commit. */
	private @Nullable String staleKey;

	private Instant creationTime;

	private Instant storedLastAccessTime;

	/**
	 * The idle timeout in force: the session's own when {@link #maxIdleTimeOverridden},
	 * the configured one otherwise, whatever was stored.
	 */
	private Duration maxIdleTime;

	/** Whether the stored session has an idle timeout of its own. */
	private boolean maxIdleTimeOverridden;

	/**
	 * The absolute expiry in force: the earlier of the stored one and creation time plus
	 * the configured absolute timeout.
	 */
	private @Nullable Instant absoluteExpiry;

	/** Principal of the stored session, to tell stores when it changes. */
	private @Nullable String storedPrincipal;

	private final Map<String, Attribute> attributes = new LinkedHashMap<>();

	/** Bytes of the attributes' names and encoded values together. */
	private long size;

	/**
	 * {@link #size} as loaded, so that a commit can tell whether this request grew it.
	 */
	private long loadedSize;

	/**
	 * Names set by this request; an empty immutable set until the first, as most requests
	 * set nothing.
	 */
	private Set<String> changed = Set.of();

	/** Names removed by this request; an empty immutable set until the first. */
	private Set<String> removed = Set.of();

	private boolean cleared;

	private boolean maxIdleChanged;

	private boolean regenerated;

	private boolean invalidated;

	/** Set when the commit starts: later changes could not be saved, so they fail. */
	private boolean sealed;

	private @Nullable SessionCommit commitResult;

	/**
	 * Create a new session.
	 */
	ManagedSession(SessionManager manager, Instant now, boolean clientSentId, @Nullable String staleKey) {
		this.manager = manager;
		this.now = now;
		this.clientSentId = clientSentId;
		this.staleKey = staleKey;
		this.creationTime = now;
		this.storedLastAccessTime = now;
		this.maxIdleTime = manager.getIdleTimeout();
		this.absoluteExpiry = manager.absoluteExpiryFor(now);
	}

	/**
	 * Create a session loaded from the store.
	 */
	ManagedSession(SessionManager manager, Instant now, String id, String key, SessionRecord record) {
		this.manager = manager;
		this.now = now;
		this.clientSentId = true;
		this.id = id;
		this.storedKey = key;
		this.creationTime = record.getCreationTime();
		this.storedLastAccessTime = record.getLastAccessTime();
		this.maxIdleTimeOverridden = record.isMaxIdleTimeOverridden();
		this.maxIdleTime = manager.idleTimeoutOf(record);
		this.absoluteExpiry = manager.absoluteExpiryOf(record);
		this.storedPrincipal = record.getPrincipal();
		record.getAttributes().forEach((name, bytes) -> {
			this.attributes.put(name, new Attribute(bytes, null));
			this.size += sizeOf(name, bytes);
		});
		this.loadedSize = this.size;
	}

	/**
	 * Whether the loaded session had expired when it was loaded, by the timeouts in force
	 * now: a shorter configured timeout applies to sessions stored before it was set.
	 */
	synchronized boolean isExpired() {
		return !this.now
			.isBefore(SessionRecord.expiresAt(this.storedLastAccessTime, this.maxIdleTime, this.absoluteExpiry));
	}

	@Override
	public synchronized String getId() {
		String current = this.id;
		if (current == null) {
			current = this.manager.generateId();
			this.id = current;
		}
		return current;
	}

	@Override
	public @Nullable Object get(String name) {
		return get(name, Object.class);
	}

	@Override
	public synchronized <T> @Nullable T get(String name, Class<T> type) {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		Attribute attribute = this.attributes.get(name);
		if (attribute == null) {
			return null;
		}
		Object value = attribute.value;
		if (value != null && ClassUtils.resolvePrimitiveIfNecessary(type).isInstance(value)) {
			@SuppressWarnings("unchecked")
			T result = (T) value;
			return result;
		}
		try {
			T decoded = this.manager.decode(attribute.bytes, type);
			attribute.value = decoded;
			return decoded;
		}
		catch (AttributeCodecException ex) {
			if (this.changed.contains(name)) {
				// Set by this request and read as another type: the caller's mistake.
				throw ex;
			}
			this.manager.attributeUnreadable(this.storedKey, name, ex);
			dropCorrupted();
			return null;
		}
	}

	@Override
	public void set(String name, @Nullable Object value) {
		set(name, value, this.manager.getCodec());
	}

	@Override
	public void setTyped(String name, @Nullable Object value) {
		set(name, value, this.manager.getTypedCodec());
	}

	private synchronized void set(String name, @Nullable Object value, AttributeCodec codec) {
		checkName(name);
		if (value == null) {
			remove(name);
			return;
		}
		checkWritable();
		byte[] bytes = codec.encode(value);
		Attribute previous = this.attributes.get(name);
		long after = checkLimits(name, bytes, previous);
		this.attributes.put(name, new Attribute(bytes, value));
		this.size = after;
		this.changed = added(this.changed, name);
		this.removed = without(this.removed, name);
	}

	/**
	 * Check a value about to be set against the manager's limits, before anything
	 * changes.
	 * @return the session's size with the value set
	 */
	private long checkLimits(String name, byte[] bytes, @Nullable Attribute previous) {
		if (bytes.length > this.manager.getMaxAttributeSize()) {
			throw new SessionTooLargeException(
					"Attribute '" + name + "' is " + bytes.length + " bytes encoded, more than the largest allowed ("
							+ this.manager.getMaxAttributeSize() + " bytes); the session is unchanged");
		}
		if (previous == null && this.attributes.size() >= this.manager.getMaxAttributes()) {
			throw new SessionTooLargeException("The session already holds " + this.attributes.size()
					+ " attributes, the most allowed; '" + name + "' was not set");
		}
		long after = this.size - ((previous != null) ? sizeOf(name, previous.bytes) : 0) + sizeOf(name, bytes);
		if (after > this.manager.getMaxSessionSize()) {
			throw new SessionTooLargeException(
					"Setting '" + name + "' would make the session " + after + " bytes, more than the largest allowed ("
							+ this.manager.getMaxSessionSize() + " bytes); the session is unchanged");
		}
		return after;
	}

	/**
	 * Check the session against the limits at commit: a session that this request made
	 * larger than allowed (every change goes through {@link #set}, so this is a safety
	 * net) is not written.
	 */
	synchronized void checkLimitsAtCommit() {
		if (this.size > this.manager.getMaxSessionSize() && this.size > this.loadedSize) {
			throw new SessionTooLargeException("The session is " + this.size + " bytes, more than the largest allowed ("
					+ this.manager.getMaxSessionSize() + " bytes); nothing was written");
		}
	}

	/** Bytes an attribute counts for: its name in UTF-8 and its encoded value. */
	static long sizeOf(String name, byte[] value) {
		long nameBytes = 0;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			nameBytes += (c < 0x80) ? 1 : (c < 0x800) ? 2 : (Character.isSurrogate(c) ? 2 : 3);
		}
		return nameBytes + value.length;
	}

	@Override
	public synchronized void remove(String name) {
		Objects.requireNonNull(name, "name");
		checkWritable();
		Attribute removedAttribute = this.attributes.remove(name);
		if (removedAttribute != null) {
			this.size -= sizeOf(name, removedAttribute.bytes);
		}
		if (removedAttribute != null || this.changed.contains(name)) {
			this.removed = added(this.removed, name);
		}
		this.changed = without(this.changed, name);
	}

	@Override
	public synchronized void clear() {
		checkWritable();
		this.attributes.clear();
		this.size = 0;
		this.changed = Set.of();
		this.removed = Set.of();
		this.cleared = true;
	}

	@Override
	public synchronized Set<String> getAttributeNames() {
		return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(this.attributes.keySet()));
	}

	@Override
	public synchronized Map<String, Object> getAttributes() {
		Map<String, Object> result = new LinkedHashMap<>();
		for (String name : this.attributes.keySet().toArray(new String[0])) {
			Object value = get(name);
			if (value != null) {
				result.put(name, value);
			}
		}
		return Collections.unmodifiableMap(result);
	}

	@Override
	public synchronized boolean isNew() {
		return this.storedKey == null;
	}

	@Override
	public synchronized Instant getCreationTime() {
		return this.creationTime;
	}

	@Override
	public Instant getLastAccessTime() {
		return this.now;
	}

	@Override
	public synchronized Duration getMaxIdleTime() {
		return this.maxIdleTime;
	}

	@Override
	public synchronized void setMaxIdleTime(Duration maxIdleTime) {
		Objects.requireNonNull(maxIdleTime, "maxIdleTime");
		if (maxIdleTime.isNegative() || maxIdleTime.isZero()) {
			throw new IllegalArgumentException("maxIdleTime must be positive");
		}
		checkWritable();
		if (!maxIdleTime.equals(this.maxIdleTime)) {
			this.maxIdleTime = maxIdleTime;
			this.maxIdleChanged = true;
		}
	}

	@Override
	public synchronized void regenerateId() {
		checkWritable();
		this.id = this.manager.generateId();
		if (this.storedKey != null) {
			this.regenerated = true;
		}
	}

	@Override
	public synchronized void invalidate() {
		checkNotSealed();
		this.invalidated = true;
		this.attributes.clear();
		this.size = 0;
		this.changed = Set.of();
		this.removed = Set.of();
	}

	@Override
	public synchronized boolean isInvalidated() {
		return this.invalidated;
	}

	/**
	 * Replace the state with a fresh session after stored data proved unreadable; the
	 * stored session is deleted at commit.
	 */
	private void dropCorrupted() {
		if (this.storedKey != null) {
			this.staleKey = this.storedKey;
		}
		this.storedKey = null;
		this.storedPrincipal = null;
		this.id = null;
		this.attributes.clear();
		this.size = 0;
		this.loadedSize = 0;
		this.changed = Set.of();
		this.removed = Set.of();
		this.cleared = false;
		this.maxIdleChanged = false;
		this.maxIdleTimeOverridden = false;
		this.regenerated = false;
		this.creationTime = this.now;
		this.storedLastAccessTime = this.now;
		this.maxIdleTime = this.manager.getIdleTimeout();
		this.absoluteExpiry = this.manager.absoluteExpiryFor(this.now);
	}

	private void checkWritable() {
		checkNotSealed();
		if (this.invalidated) {
			throw new IllegalStateException("Session was invalidated");
		}
	}

	private void checkNotSealed() {
		if (this.sealed) {
			throw new IllegalStateException("Session changed after its commit: the response was committed (its "
					+ "headers sent) before this change, so the change cannot be stored or told to the client. "
					+ "Change the session before the response body starts, for example before returning a "
					+ "streaming body");
		}
	}

	/**
	 * Refuse changes from now on: the commit has started.
	 */
	synchronized void seal() {
		this.sealed = true;
	}

	/**
	 * A set of names with one more: an immutable set of that one for the first (the
	 * common write sets one attribute), a {@link HashSet} from the second on.
	 */
	private static Set<String> added(Set<String> names, String name) {
		if (names.isEmpty()) {
			return Set.of(name);
		}
		if (names instanceof HashSet) {
			names.add(name);
			return names;
		}
		if (names.contains(name)) {
			return names;
		}
		Set<String> result = new HashSet<>(names);
		result.add(name);
		return result;
	}

	/**
	 * A set of names without one. An immutable set here holds one name at most (see
	 * {@link #added}).
	 */
	private static Set<String> without(Set<String> names, String name) {
		if (!names.contains(name)) {
			return names;
		}
		if (names instanceof HashSet) {
			names.remove(name);
			return names;
		}
		return Set.of();
	}

	private static void checkName(String name) {
		Objects.requireNonNull(name, "name");
		if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
			throw new IllegalArgumentException(
					"Attribute names must have 1 to " + MAX_NAME_LENGTH + " characters, got " + name.length());
		}
	}

	/**
	 * Whether a commit would write attributes, and so needs the principal: a new session,
	 * a regenerated one, or a changed one.
	 */
	synchronized boolean isWriteWithChanges() {
		return !this.invalidated && (this.storedKey == null || this.regenerated || this.cleared || this.maxIdleChanged
				|| !this.changed.isEmpty() || !this.removed.isEmpty());
	}

	/**
	 * Whether this is a stored session that the request neither changed, regenerated nor
	 * invalidated, and whose stored access time is recent enough that no touch is due.
	 */
	synchronized boolean isUnchangedSince(double touchThreshold) {
		if (this.storedKey == null || this.staleKey != null || this.invalidated || this.regenerated || this.cleared
				|| this.maxIdleChanged || !this.changed.isEmpty() || !this.removed.isEmpty()) {
			return false;
		}
		return !SessionManager.isTouchDue(this.storedLastAccessTime, this.now, this.maxIdleTime, touchThreshold);
	}

	/**
	 * Whether a commit would neither write nor tell the client anything: a stored session
	 * left alone with no touch due, or a fresh one that stayed empty (when creation is
	 * lazy).
	 */
	synchronized boolean isNothingToCommit(double touchThreshold, boolean lazyCreate) {
		if (this.commitResult != null) {
			return false;
		}
		if (this.storedKey == null) {
			return lazyCreate && this.staleKey == null && !this.invalidated && this.attributes.isEmpty();
		}
		return isUnchangedSince(touchThreshold);
	}

	synchronized @Nullable String getStoredKey() {
		return this.storedKey;
	}

	synchronized @Nullable String getStoredPrincipal() {
		return this.storedPrincipal;
	}

	/**
	 * Copy what the commit needs. Every attribute is copied only for a commit that writes
	 * the whole session (a new or regenerated one); an update writes the changes alone.
	 */
	synchronized Snapshot snapshot() {
		Map<String, byte[]> all;
		if (this.storedKey == null || this.regenerated) {
			all = new LinkedHashMap<>();
			this.attributes.forEach((name, attribute) -> all.put(name, attribute.bytes));
		}
		else {
			all = Map.of();
		}
		Map<String, byte[]> changedBytes;
		if (this.changed.size() == 1) {
			String name = this.changed.iterator().next();
			changedBytes = Map.of(name, this.attributes.get(name).bytes);
		}
		else {
			changedBytes = new LinkedHashMap<>();
			this.changed.forEach((name) -> changedBytes.put(name, this.attributes.get(name).bytes));
		}
		return new Snapshot(this.id, this.storedKey, this.staleKey, this.clientSentId, this.creationTime,
				this.storedLastAccessTime, this.maxIdleTime, this.maxIdleTimeOverridden || this.maxIdleChanged,
				this.absoluteExpiry, all, changedBytes, Set.copyOf(this.removed), this.cleared, this.maxIdleChanged,
				this.regenerated, this.invalidated);
	}

	Instant getNow() {
		return this.now;
	}

	synchronized @Nullable SessionCommit getCommitResult() {
		return this.commitResult;
	}

	synchronized void setCommitResult(SessionCommit commitResult) {
		this.commitResult = commitResult;
	}

	/**
	 * What the manager needs to commit the session, copied under the lock.
	 * {@code attributes} holds every attribute for a new or regenerated session and is
	 * empty otherwise.
	 */
	record Snapshot(@Nullable String id, @Nullable String storedKey, @Nullable String staleKey, boolean clientSentId,
			Instant creationTime, Instant storedLastAccessTime, Duration maxIdleTime, boolean maxIdleTimeOwn,
			@Nullable Instant absoluteExpiry, Map<String, byte[]> attributes, Map<String, byte[]> changed,
			Set<String> removed, boolean cleared, boolean maxIdleChanged, boolean regenerated, boolean invalidated) {

		boolean isDirty() {
			return this.cleared || this.maxIdleChanged || !this.changed.isEmpty() || !this.removed.isEmpty();
		}

	}

	private static final class Attribute {

		final byte[] bytes;

		@Nullable Object value;

		Attribute(byte[] bytes, @Nullable Object value) {
			this.bytes = bytes;
			this.value = value;
		}

	}

}
