package io.fastsession;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.fastsession.codec.AttributeCodec;
import io.fastsession.codec.AttributeCodecException;
import io.fastsession.codec.JdkAttributeCodec;
import io.fastsession.codec.JsonAttributeCodec;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionIdCodec;
import io.fastsession.id.SessionIdGenerator;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Owns the lifecycle of sessions on top of a {@link SessionStore}: strict id acceptance,
 * lazy loading and creation, delta writes at commit, throttled touch, idle and absolute
 * expiry, fixation-safe regeneration and resurrection-proof invalidation.
 * <p>
 * Per request, the web layer calls {@link #load(List)} (at most once, when the handler
 * asks for the session) and {@link #commit(Session)} when the response is committed.
 * Every store call is bounded by the store timeout and surfaces failures as
 * {@link SessionStoreException}.
 * <p>
 * Thread-safe; build one with {@link #builder(SessionStore)}.
 *
 * @author fastsession authors
 */
public final class SessionManager {

	/** Longest client value considered at all; anything longer is rejected unread. */
	public static final int MAX_CLIENT_VALUE_LENGTH = 512;

	/** Attribute read by the default {@link PrincipalNameResolver}. */
	public static final String PRINCIPAL_NAME_ATTRIBUTE = "fastsession.principal";

	/**
	 * Most well-formed ids of one request that are looked up, in the order the client
	 * sent them.
	 */
	public static final int MAX_CANDIDATE_IDS = 3;

	/** Longest principal name indexed. */
	public static final int MAX_PRINCIPAL_LENGTH = 200;

	/** Default largest encoded attribute value, in bytes. */
	public static final int DEFAULT_MAX_ATTRIBUTE_SIZE = 256 * 1024;

	/** Default largest session (attribute names and values together), in bytes. */
	public static final long DEFAULT_MAX_SESSION_SIZE = 1024 * 1024;

	/** Default most attributes in one session. */
	public static final int DEFAULT_MAX_ATTRIBUTES = 1000;

	/**
	 * Key of the {@link Scheduler} that times store calls out, in the Reactor context of
	 * whoever subscribes to a load or a commit; without one,
	 * {@link Schedulers#parallel()} does. The web filter puts the event loop of the
	 * request's connection there: a timer on that loop is set and cancelled without a
	 * lock or a thread wake-up, where the parallel scheduler's timer queue takes a lock
	 * on both.
	 */
	public static final String TIMER_CONTEXT_KEY = SessionManager.class.getName() + ".timer";

	private static final Mono<Object> TIMED_OUT = Mono
		.error(() -> new TimeoutException("No answer within the store timeout"));

	private static final Log logger = LogFactory.getLog(SessionManager.class);

	private final SessionStore store;

	private final AttributeCodec codec;

	private final AttributeCodec typedCodec;

	private final SessionIdGenerator idGenerator;

	private final SessionIdCodec idCodec;

	private final Clock clock;

	private final Duration idleTimeout;

	private final @Nullable Duration absoluteTimeout;

	private final double touchThreshold;

	private final boolean lazyCreate;

	private final Duration storeTimeout;

	private final SessionListener listener;

	private final PrincipalNameResolver principalResolver;

	private final StoreCallObserver storeCallObserver;

	private final int maxAttributeSize;

	private final long maxSessionSize;

	private final int maxAttributes;

	private final StoreFailureLog failureLog = new StoreFailureLog(logger);

	private SessionManager(Builder builder) {
		this.store = builder.store;
		this.codec = builder.codec;
		this.typedCodec = (builder.typedCodec != null) ? builder.typedCodec : new JdkAttributeCodec();
		this.idGenerator = (builder.idGenerator != null) ? builder.idGenerator : new RandomSessionIdGenerator();
		this.idCodec = builder.idCodec;
		this.clock = builder.clock;
		this.idleTimeout = builder.idleTimeout;
		this.absoluteTimeout = builder.absoluteTimeout;
		this.touchThreshold = builder.touchThreshold;
		this.lazyCreate = builder.lazyCreate;
		this.storeTimeout = builder.storeTimeout;
		this.listener = builder.listener;
		this.principalResolver = builder.principalResolver;
		this.storeCallObserver = builder.storeCallObserver;
		this.maxAttributeSize = builder.maxAttributeSize;
		this.maxSessionSize = builder.maxSessionSize;
		this.maxAttributes = builder.maxAttributes;
	}

	/**
	 * Start building a manager.
	 * @param store the store
	 * @return a builder with the defaults
	 */
	public static Builder builder(SessionStore store) {
		return new Builder(store);
	}

	/**
	 * Decode and validate a value sent by a client, without any store access.
	 * @param clientValue the value of the cookie, header or query parameter
	 * @return the session id, or {@code null} if the value is malformed, forged or
	 * oversized
	 */
	public @Nullable String decodeId(String clientValue) {
		if (clientValue.isEmpty() || clientValue.length() > MAX_CLIENT_VALUE_LENGTH) {
			return null;
		}
		String id;
		try {
			id = this.idCodec.decode(clientValue);
		}
		catch (RuntimeException ex) {
			id = null;
		}
		return (id != null && this.idGenerator.isValid(id)) ? id : null;
	}

	/**
	 * Load the session for a request. The client's values are tried in order: malformed
	 * ones cost no store access, and of the well-formed ones at most
	 * {@value #MAX_CANDIDATE_IDS} are looked up, until one names a live session. Trying
	 * more than the first defeats cookie tossing: a sibling subdomain can plant a cookie
	 * with the same name and a more specific path, which browsers send first. A missing,
	 * expired or unreadable session gives a new session with a new id: a client's id is
	 * never adopted.
	 * @param clientValues what the client sent, in transport order; may be empty
	 * @return the session
	 */
	public Mono<Session> load(List<String> clientValues) {
		Instant now = now();
		String first = null;
		List<String> others = null;
		for (String value : clientValues) {
			String id = decodeId(value);
			if (id == null) {
				this.listener.idRejected();
			}
			else if (first == null) {
				first = id;
			}
			else if (!id.equals(first) && (others == null || !others.contains(id))) {
				if (others == null) {
					others = new ArrayList<>(MAX_CANDIDATE_IDS - 1);
				}
				if (others.size() < MAX_CANDIDATE_IDS - 1) {
					others.add(id);
				}
			}
		}
		if (first == null) {
			return Mono.just(new ManagedSession(this, now, !clientValues.isEmpty(), null));
		}
		if (others == null) {
			return load(first, now);
		}
		Mono<Session> loading = load(first, now);
		for (String other : others) {
			loading = loading.flatMap((session) -> session.isNew() ? load(other, now) : Mono.just(session));
		}
		return loading;
	}

	private Mono<Session> load(String sessionId, Instant now) {
		String key = SessionKeys.hash(sessionId);
		Mono<SessionRecord> lookup = this.store.load(key);
		if (isSynchronous(lookup)) {
			return Mono.fromSupplier(() -> loaded(sessionId, key, now, callNow("load", (Callable<?>) lookup)));
		}
		return call("load", lookup).map((record) -> loaded(sessionId, key, now, record))
			.switchIfEmpty(Mono.fromSupplier(() -> loaded(sessionId, key, now, null)));
	}

	private Session loaded(String id, String key, Instant now, @Nullable SessionRecord record) {
		if (record == null) {
			return new ManagedSession(this, now, true, null);
		}
		ManagedSession session = new ManagedSession(this, now, id, key, record);
		if (session.isExpired()) {
			this.listener.sessionExpired();
			return new ManagedSession(this, now, true, key);
		}
		return session;
	}

	/**
	 * Create a new session without looking anything up.
	 * @return a new session
	 */
	public Session createSession() {
		return new ManagedSession(this, now(), false, null);
	}

	/**
	 * Write what the request changed and tell the caller what the client must learn.
	 * Calling it again for the same session does nothing and returns the first result.
	 * @param session a session of this manager
	 * @return what to tell the client
	 */
	public Mono<SessionCommit> commit(Session session) {
		return Mono.defer(() -> commitNow(session));
	}

	/**
	 * Commit now: the same commit as {@link #commit}, run at once rather than on
	 * subscription. When every store call it makes answers synchronously (the common
	 * write to an in-memory store: one update), the result is a {@code Mono.just} of what
	 * to tell the client, which the caller can read without subscribing; otherwise the
	 * rest of the commit runs on subscription.
	 * @param session a session of this manager
	 * @return what to tell the client
	 */
	public Mono<SessionCommit> commitNow(Session session) {
		if (!(session instanceof ManagedSession managed)) {
			return Mono.error(new IllegalArgumentException("Not a session of this manager: " + session));
		}
		SessionCommit done = managed.getCommitResult();
		if (done != null) {
			return Mono.just(done);
		}
		Mono<SessionCommit> planned = plan(managed, new Deadline(this.storeTimeout));
		if (!(planned instanceof Callable<?> synchronous)) {
			return planned.doOnNext(managed::setCommitResult);
		}
		try {
			SessionCommit result = (SessionCommit) Objects.requireNonNull(synchronous.call());
			managed.setCommitResult(result);
			return Mono.just(result);
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			return Mono.error(Exceptions.unwrap(ex));
		}
	}

	/**
	 * Whether committing this session would do nothing at all: no store call and nothing
	 * to tell the client.
	 * @param session a session of this manager
	 * @return {@code true} if {@link #commit} would complete with
	 * {@link SessionCommit#NONE} without touching the store
	 */
	public boolean isNothingToCommit(Session session) {
		return session instanceof ManagedSession managed
				&& managed.isNothingToCommit(this.touchThreshold, this.lazyCreate);
	}

	/**
	 * Commit a session at once if committing would do nothing at all (the common
	 * read-only request), without assembling a pipeline. Either way the session refuses
	 * changes from now on, as after {@link #commit}.
	 * @param session a session of this manager
	 * @return {@code true} if the session is committed; {@code false} if it needs
	 * {@link #commit}
	 */
	public boolean commitIfNothingToWrite(Session session) {
		if (!(session instanceof ManagedSession managed)) {
			return false;
		}
		synchronized (managed) {
			if (!managed.isNothingToCommit(this.touchThreshold, this.lazyCreate)) {
				return false;
			}
			managed.seal();
			managed.setCommitResult(SessionCommit.NONE);
			return true;
		}
	}

	private Mono<SessionCommit> plan(ManagedSession session, Deadline deadline) {
		session.seal();
		// The common case, a stored session read and left alone, decides without copying
		// anything.
		if (session.isUnchangedSince(this.touchThreshold)) {
			return Mono.just(SessionCommit.NONE);
		}
		// Resolved before the snapshot: reading attributes may find one unreadable and
		// turn
		// the session into a fresh one.
		if (session.isWriteWithChanges()) {
			try {
				session.checkLimitsAtCommit();
			}
			catch (SessionTooLargeException ex) {
				return Mono.error(ex);
			}
		}
		String principal = session.isWriteWithChanges() ? resolvePrincipal(session) : session.getStoredPrincipal();
		ManagedSession.Snapshot state = session.snapshot();
		Instant now = session.getNow();
		Mono<Void> removeStale = (state.staleKey() != null) ? delete(state.staleKey(), deadline).then() : Mono.empty();
		if (state.invalidated()) {
			Mono<Boolean> deleted = (state.storedKey() != null) ? delete(state.storedKey(), deadline)
					: Mono.just(false);
			return removeStale.then(deleted).map((existed) -> {
				if (existed) {
					this.listener.sessionInvalidated();
				}
				return state.clientSentId() ? SessionCommit.EXPIRE : SessionCommit.NONE;
			});
		}
		if (state.storedKey() == null) {
			if (state.attributes().isEmpty() && this.lazyCreate) {
				return removeStale.thenReturn(SessionCommit.NONE);
			}
			String id = session.getId();
			SessionRecord record = new SessionRecord(state.creationTime(), now, state.maxIdleTime(),
					state.maxIdleTimeOwn(), state.absoluteExpiry(), state.attributes(), principal);
			return removeStale.then(call("create", this.store.create(SessionKeys.hash(id), record), deadline))
				.then(Mono.fromSupplier(() -> {
					this.listener.sessionCreated();
					return SessionCommit.sendId(this.idCodec.encode(id));
				}));
		}
		if (state.regenerated()) {
			return regenerate(state, session.getId(), now, principal, deadline);
		}
		boolean touchDue = isTouchDue(state, now);
		if (!state.isDirty() && !touchDue) {
			return Mono.just(SessionCommit.NONE);
		}
		SessionDelta delta = new SessionDelta(now, state.maxIdleTime(), state.maxIdleChanged(), state.cleared(),
				state.changed(), state.removed(), principal, session.getStoredPrincipal());
		String id = Objects.requireNonNull(state.id());
		// A session deleted since this request loaded it (a logout, an expiry, or for a
		// cache a node lost or a key moved to another node) is not written again, and
		// the client is told so: its id no longer names a session.
		return call("update", this.store.update(state.storedKey(), delta), deadline,
				(applied) -> applied ? SessionCommit.refresh(id, this.idCodec) : SessionCommit.EXPIRE);
	}

	/**
	 * Store the session under its new key, then delete the old one. If the old one was
	 * gone already (a concurrent logout), the new one is deleted again: regeneration
	 * never revives a session.
	 */
	private Mono<SessionCommit> regenerate(ManagedSession.Snapshot state, String newId, Instant now,
			@Nullable String principal, Deadline deadline) {
		String newKey = SessionKeys.hash(newId);
		String oldKey = Objects.requireNonNull(state.storedKey());
		SessionRecord record = new SessionRecord(state.creationTime(), now, state.maxIdleTime(), state.maxIdleTimeOwn(),
				state.absoluteExpiry(), state.attributes(), principal);
		return call("create", this.store.create(newKey, record), deadline).then(delete(oldKey, deadline))
			.flatMap((existed) -> {
				if (existed) {
					return Mono.just(SessionCommit.sendId(this.idCodec.encode(newId)));
				}
				return delete(newKey, deadline).thenReturn(SessionCommit.EXPIRE);
			});
	}

	private @Nullable String resolvePrincipal(Session session) {
		String principal = this.principalResolver.resolvePrincipalName(session);
		if (principal != null && principal.length() > MAX_PRINCIPAL_LENGTH) {
			logger.debug("Principal name longer than " + MAX_PRINCIPAL_LENGTH + " characters not indexed");
			return null;
		}
		return principal;
	}

	/**
	 * Find the live sessions of a user. Needs a store that keeps a principal index.
	 * @param principal the principal name
	 * @return the sessions, without their ids or attributes
	 */
	public Flux<SessionInfo> findByPrincipal(String principal) {
		Instant now = now();
		return call("find", this.store.findByPrincipal(principal).collectList()).flatMapMany(Flux::fromIterable)
			.distinct()
			.flatMap((key) -> call("load", this.store.load(key)).map((record) -> info(key, record)), 8)
			.filter((info) -> principal.equals(info.principal()) && info.expiresAt().isAfter(now));
	}

	/**
	 * Find one session by its key.
	 * @param key the store key
	 * @return the session, without its id or attributes; empty if there is none, or it
	 * expired
	 */
	public Mono<SessionInfo> findByKey(String key) {
		if (!SessionKeys.isValidKey(key)) {
			return Mono.empty();
		}
		Instant now = now();
		return call("load", this.store.load(key)).map((record) -> info(key, record))
			.filter((info) -> info.expiresAt().isAfter(now));
	}

	/**
	 * Return the key a session was stored under when its request loaded it.
	 * @param session a session of this manager
	 * @return the key, or {@code null} for a session that was not stored then
	 */
	public @Nullable String getStoredKey(Session session) {
		return (session instanceof ManagedSession managed) ? managed.getStoredKey() : null;
	}

	/**
	 * Delete a session by its key, as an administrator revoking it.
	 * @param key the store key
	 * @return {@code true} if a session was deleted
	 */
	public Mono<Boolean> deleteByKey(String key) {
		if (!SessionKeys.isValidKey(key)) {
			return Mono.just(false);
		}
		return delete(key).doOnNext((deleted) -> {
			if (deleted) {
				this.listener.sessionInvalidated();
			}
		});
	}

	/**
	 * Delete every session of a user ("log out everywhere").
	 * @param principal the principal name
	 * @return how many sessions were deleted
	 */
	public Mono<Long> deleteByPrincipal(String principal) {
		return findByPrincipal(principal).flatMap((info) -> deleteByKey(info.key()), 8)
			.filter(Boolean::booleanValue)
			.count();
	}

	private boolean isTouchDue(ManagedSession.Snapshot state, Instant now) {
		return isTouchDue(state.storedLastAccessTime(), now, state.maxIdleTime(), this.touchThreshold);
	}

	/**
	 * Whether an unchanged session's stored expiry should be refreshed: when a fraction
	 * of its idle window has passed since its stored access time.
	 */
	static boolean isTouchDue(Instant storedLastAccess, Instant now, Duration maxIdleTime, double threshold) {
		long sinceStored = Duration.between(storedLastAccess, now).toMillis();
		return sinceStored >= (long) (threshold * maxIdleTime.toMillis());
	}

	private Mono<Boolean> delete(String key) {
		return call("delete", this.store.delete(key));
	}

	private Mono<Boolean> delete(String key, Deadline deadline) {
		return call("delete", this.store.delete(key), deadline);
	}

	/**
	 * Remove expired sessions from stores that need it; see
	 * {@link SessionStore#removeExpired(Instant)}.
	 * @return how many sessions were removed
	 */
	public Mono<Long> removeExpired() {
		return this.store.removeExpired(now());
	}

	private <T> Mono<T> call(String operation, Mono<T> call) {
		return call(operation, call, null);
	}

	/**
	 * A store call as {@link #call(String, Mono, Deadline)}, then a mapping of its
	 * answer; for a synchronous store, both in one synchronous source, which
	 * {@link #commitNow} reads without subscribing.
	 */
	private <T, R> Mono<R> call(String operation, Mono<T> call, Deadline deadline, Function<T, R> then) {
		if (isSynchronous(call)) {
			return Mono.fromSupplier(() -> then.apply(Objects.requireNonNull(callNow(operation, (Callable<?>) call))));
		}
		return call(operation, call, deadline).map(then);
	}

	/**
	 * Run a store call within the store timeout, or within what is left of a deadline
	 * that several calls share; time it and turn its failure into a
	 * {@link SessionStoreException}.
	 */
	private <T> Mono<T> call(String operation, Mono<T> call, @Nullable Deadline deadline) {
		if (isSynchronous(call)) {
			return Mono.fromSupplier(() -> callNow(operation, (Callable<?>) call));
		}
		return Mono.deferContextual((context) -> {
			long start = System.nanoTime();
			Mono<T> bounded = call;
			if (!this.store.isInMemory()) {
				Duration timeout = (deadline != null) ? deadline.remaining(start) : this.storeTimeout;
				Scheduler timer = context.getOrDefault(TIMER_CONTEXT_KEY, null);
				bounded = this.storeCallObserver.observe(operation,
						call.timeout(timeout, timedOut(), (timer != null) ? timer : Schedulers.parallel()));
			}
			return bounded.doOnSuccess(
					(value) -> this.listener.storeCalled(operation, Duration.ofNanos(System.nanoTime() - start), null))
				.onErrorMap((ex) -> storeFailure(operation, start, ex));
		});
	}

	/**
	 * The timeout's outcome, as a fallback: {@code timeout(Duration)} without one builds
	 * a description of the whole upstream chain (Reactor scans every operator's name) on
	 * each subscription, a few microseconds per store call; with a fallback it builds
	 * none.
	 */
	@SuppressWarnings("unchecked")
	private static <T> Mono<T> timedOut() {
		return (Mono<T>) TIMED_OUT;
	}

	/**
	 * Whether a store call is a synchronous source (such as {@code Mono.fromSupplier}) of
	 * an in-memory store. Those are run in place, in one operator, rather than subscribed
	 * through the timeout, timing and error operators: on the memory provider that chain
	 * cost more than the store call itself, on every request.
	 */
	private boolean isSynchronous(Mono<?> call) {
		return this.store.isInMemory() && call instanceof Callable<?>;
	}

	/** Run a synchronous store call now; {@code null} for an empty answer. */
	@SuppressWarnings("unchecked")
	private <T> @Nullable T callNow(String operation, Callable<?> call) {
		long start = System.nanoTime();
		T value;
		try {
			value = (T) call.call();
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			// Reactor's synchronous error sources wrap checked exceptions and errors.
			throw storeFailure(operation, start, Exceptions.unwrap(ex));
		}
		this.listener.storeCalled(operation, Duration.ofNanos(System.nanoTime() - start), null);
		return value;
	}

	private SessionStoreException storeFailure(String operation, long start, Throwable ex) {
		this.listener.storeCalled(operation, Duration.ofNanos(System.nanoTime() - start), ex);
		this.failureLog.record(operation, ex);
		if (ex instanceof SessionStoreException storeException) {
			return storeException;
		}
		if (ex instanceof TimeoutException) {
			return new SessionStoreException(
					"Session store " + operation + " timed out (store timeout " + this.storeTimeout.toMillis() + "ms)",
					ex);
		}
		return new SessionStoreException("Session store " + operation + " failed: " + ex, ex);
	}

	void attributeUnreadable(@Nullable String key, String name, AttributeCodecException ex) {
		this.listener.decodeFailed();
		if (logger.isWarnEnabled()) {
			logger.warn("Dropped session " + SessionKeys.describe(key) + ": attribute '" + name
					+ "' cannot be decoded (" + ex.getMessage() + "); the request gets a fresh session");
		}
	}

	String generateId() {
		return this.idGenerator.generate();
	}

	@Nullable Instant absoluteExpiryFor(Instant creationTime) {
		return (this.absoluteTimeout != null) ? creationTime.plus(this.absoluteTimeout) : null;
	}

	/**
	 * The idle timeout in force for a stored session: its own, or the configured one.
	 */
	Duration idleTimeoutOf(SessionRecord record) {
		return record.isMaxIdleTimeOverridden() ? record.getMaxIdleTime() : this.idleTimeout;
	}

	/**
	 * The absolute expiry in force for a stored session: the earlier of its own and its
	 * creation time plus the configured absolute timeout.
	 */
	@Nullable Instant absoluteExpiryOf(SessionRecord record) {
		Instant stored = record.getAbsoluteExpiry();
		Instant configured = absoluteExpiryFor(record.getCreationTime());
		if (stored == null) {
			return configured;
		}
		return (configured != null && configured.isBefore(stored)) ? configured : stored;
	}

	/**
	 * When a stored session expires by the timeouts in force now.
	 */
	private SessionInfo info(String key, SessionRecord record) {
		return new SessionInfo(key, record.getPrincipal(), record.getCreationTime(), record.getLastAccessTime(),
				SessionRecord.expiresAt(record.getLastAccessTime(), idleTimeoutOf(record), absoluteExpiryOf(record)));
	}

	private Instant now() {
		return this.clock.instant();
	}

	public SessionStore getStore() {
		return this.store;
	}

	public AttributeCodec getCodec() {
		return this.codec;
	}

	/**
	 * Return the codec of values set with {@link Session#setTyped}: by default Java
	 * serialization behind an allow-list.
	 * @return the typed codec
	 */
	public AttributeCodec getTypedCodec() {
		return this.typedCodec;
	}

	/**
	 * Decode stored bytes with the codec that wrote them: the typed codec for Java
	 * serialization streams (they start with {@code 0xACED}, which no JSON text can), the
	 * attribute codec otherwise.
	 */
	<T> T decode(byte[] bytes, Class<T> type) {
		boolean serialized = bytes.length > 1 && bytes[0] == (byte) 0xAC && bytes[1] == (byte) 0xED;
		return (serialized ? this.typedCodec : this.codec).decode(bytes, type);
	}

	public SessionIdCodec getIdCodec() {
		return this.idCodec;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public @Nullable Duration getAbsoluteTimeout() {
		return this.absoluteTimeout;
	}

	public Duration getStoreTimeout() {
		return this.storeTimeout;
	}

	public int getMaxAttributeSize() {
		return this.maxAttributeSize;
	}

	public long getMaxSessionSize() {
		return this.maxSessionSize;
	}

	public int getMaxAttributes() {
		return this.maxAttributes;
	}

	/**
	 * The end of the time the store calls of one commit may take together.
	 */
	private static final class Deadline {

		private final long end;

		Deadline(Duration timeout) {
			this.end = System.nanoTime() + timeout.toNanos();
		}

		/** What is left at a moment; never negative, so a late call times out at once. */
		Duration remaining(long now) {
			return Duration.ofNanos(Math.max(this.end - now, 0));
		}

	}

	/**
	 * Builds a {@link SessionManager}.
	 */
	public static final class Builder {

		private final SessionStore store;

		private AttributeCodec codec = new JsonAttributeCodec();

		private @Nullable AttributeCodec typedCodec;

		private @Nullable SessionIdGenerator idGenerator;

		private SessionIdCodec idCodec = SessionIdCodec.plain();

		private Clock clock = Clock.systemUTC();

		private Duration idleTimeout = Duration.ofMinutes(30);

		private @Nullable Duration absoluteTimeout;

		private double touchThreshold = 0.25;

		private boolean lazyCreate = true;

		private Duration storeTimeout = Duration.ofSeconds(2);

		private SessionListener listener = SessionListener.NONE;

		private PrincipalNameResolver principalResolver = PrincipalNameResolver.attribute(PRINCIPAL_NAME_ATTRIBUTE);

		private StoreCallObserver storeCallObserver = StoreCallObserver.NONE;

		private int maxAttributeSize = DEFAULT_MAX_ATTRIBUTE_SIZE;

		private long maxSessionSize = DEFAULT_MAX_SESSION_SIZE;

		private int maxAttributes = DEFAULT_MAX_ATTRIBUTES;

		private Builder(SessionStore store) {
			this.store = Objects.requireNonNull(store, "store");
		}

		/**
		 * Set the attribute codec; default {@link JsonAttributeCodec}.
		 * @param codec the codec
		 * @return this builder
		 */
		public Builder codec(AttributeCodec codec) {
			this.codec = Objects.requireNonNull(codec, "codec");
			return this;
		}

		/**
		 * Set the codec of values set with {@link Session#setTyped}, which must come back
		 * as the same Java types; default {@link JdkAttributeCodec} with its default
		 * allow-list. Its bytes must start with {@code 0xACED} (a Java serialization
		 * stream) for reads to tell them from the attribute codec's.
		 * @param typedCodec the codec
		 * @return this builder
		 */
		public Builder typedCodec(AttributeCodec typedCodec) {
			this.typedCodec = Objects.requireNonNull(typedCodec, "typedCodec");
			return this;
		}

		/**
		 * Set the id generator; default {@link RandomSessionIdGenerator} with 32 bytes.
		 * @param idGenerator the generator
		 * @return this builder
		 */
		public Builder idGenerator(SessionIdGenerator idGenerator) {
			this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
			return this;
		}

		/**
		 * Set the id codec; default {@link SessionIdCodec#plain()}.
		 * @param idCodec the codec
		 * @return this builder
		 */
		public Builder idCodec(SessionIdCodec idCodec) {
			this.idCodec = Objects.requireNonNull(idCodec, "idCodec");
			return this;
		}

		/**
		 * Set the clock; default the UTC system clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * Set the idle timeout; default 30 minutes.
		 * @param idleTimeout the timeout, positive
		 * @return this builder
		 */
		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = positive(idleTimeout, "idleTimeout");
			return this;
		}

		/**
		 * Set the absolute timeout, counted from creation whatever the activity; default
		 * none.
		 * @param absoluteTimeout the timeout, positive, or {@code null} for none
		 * @return this builder
		 */
		public Builder absoluteTimeout(@Nullable Duration absoluteTimeout) {
			this.absoluteTimeout = (absoluteTimeout != null) ? positive(absoluteTimeout, "absoluteTimeout") : null;
			return this;
		}

		/**
		 * Set the fraction of the idle timeout after which an unchanged session's expiry
		 * is refreshed in the store; default 0.25. 0 refreshes on every request.
		 * @param touchThreshold a fraction from 0 to 1
		 * @return this builder
		 */
		public Builder touchThreshold(double touchThreshold) {
			if (!(touchThreshold >= 0 && touchThreshold <= 1)) {
				throw new IllegalArgumentException("touchThreshold must be between 0 and 1, got " + touchThreshold);
			}
			this.touchThreshold = touchThreshold;
			return this;
		}

		/**
		 * Set whether a new session is stored only once it holds an attribute; default
		 * {@code true}.
		 * @param lazyCreate whether to create lazily
		 * @return this builder
		 */
		public Builder lazyCreate(boolean lazyCreate) {
			this.lazyCreate = lazyCreate;
			return this;
		}

		/**
		 * Set the longest a store call may take before the request fails with
		 * {@link SessionStoreException}; default 2 seconds.
		 * @param storeTimeout the timeout, positive
		 * @return this builder
		 */
		public Builder storeTimeout(Duration storeTimeout) {
			this.storeTimeout = positive(storeTimeout, "storeTimeout");
			return this;
		}

		/**
		 * Set the listener for lifecycle events; default none.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(SessionListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener");
			return this;
		}

		/**
		 * Set how a session's principal is found, for the principal index; default the
		 * {@value #PRINCIPAL_NAME_ATTRIBUTE} attribute.
		 * @param principalResolver the resolver
		 * @return this builder
		 */
		public Builder principalResolver(PrincipalNameResolver principalResolver) {
			this.principalResolver = Objects.requireNonNull(principalResolver, "principalResolver");
			return this;
		}

		/**
		 * Set what observes the store calls, for tracing; default none.
		 * @param storeCallObserver the observer
		 * @return this builder
		 */
		public Builder storeCallObserver(StoreCallObserver storeCallObserver) {
			this.storeCallObserver = Objects.requireNonNull(storeCallObserver, "storeCallObserver");
			return this;
		}

		/**
		 * Set the largest encoded value an attribute may have; default
		 * {@value #DEFAULT_MAX_ATTRIBUTE_SIZE} bytes. A larger one is refused where it is
		 * set, with {@link SessionTooLargeException}.
		 * @param maxAttributeSize the limit in bytes, positive
		 * @return this builder
		 */
		public Builder maxAttributeSize(int maxAttributeSize) {
			if (maxAttributeSize <= 0) {
				throw new IllegalArgumentException("maxAttributeSize must be positive, got " + maxAttributeSize);
			}
			this.maxAttributeSize = maxAttributeSize;
			return this;
		}

		/**
		 * Set the largest a session's attributes (names and encoded values) may be
		 * together; default {@value #DEFAULT_MAX_SESSION_SIZE} bytes. A change that would
		 * go beyond it is refused with {@link SessionTooLargeException}.
		 * @param maxSessionSize the limit in bytes, positive
		 * @return this builder
		 */
		public Builder maxSessionSize(long maxSessionSize) {
			if (maxSessionSize <= 0) {
				throw new IllegalArgumentException("maxSessionSize must be positive, got " + maxSessionSize);
			}
			this.maxSessionSize = maxSessionSize;
			return this;
		}

		/**
		 * Set the most attributes a session may hold; default
		 * {@value #DEFAULT_MAX_ATTRIBUTES}. Setting one more is refused with
		 * {@link SessionTooLargeException}.
		 * @param maxAttributes the limit, positive
		 * @return this builder
		 */
		public Builder maxAttributes(int maxAttributes) {
			if (maxAttributes <= 0) {
				throw new IllegalArgumentException("maxAttributes must be positive, got " + maxAttributes);
			}
			this.maxAttributes = maxAttributes;
			return this;
		}

		/**
		 * Build the manager.
		 * @return the manager
		 */
		public SessionManager build() {
			return new SessionManager(this);
		}

		private static Duration positive(Duration duration, String name) {
			Objects.requireNonNull(duration, name);
			if (duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException(name + " must be positive, got " + duration);
			}
			return duration;
		}

	}

}
