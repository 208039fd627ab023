package io.fastsession;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fastsession.codec.AttributeCodecException;
import io.fastsession.id.HmacSessionIdCodec;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionIdCodec;
import io.fastsession.store.CountingSessionStore;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.fastsession.store.file.FileSessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionManagerTests {

	private final MutableClock clock = MutableClock.startingNow();

	private CountingSessionStore store;

	private SessionManager manager;

	@BeforeEach
	void setUp() {
		this.store = new CountingSessionStore(new CaffeineSessionStore(1000, this.clock));
		this.manager = SessionManager.builder(this.store).clock(this.clock).build();
	}

	@Test
	void loadWhenNoClientValueThenNewSessionWithoutStoreAccess() {
		Session session = load();
		assertThat(session.isNew()).isTrue();
		assertThat(this.store.total()).isZero();
	}

	@Test
	void commitWhenNewSessionHasNoAttributesThenNothingIsStoredAndNoIdSent() {
		Session session = load();
		session.get("anything");
		assertThat(commit(session)).isSameAs(SessionCommit.NONE);
		assertThat(this.store.total()).isZero();
		assertThat(this.store.count().block()).isZero();
	}

	@Test
	void commitWhenNotLazyThenEmptySessionIsStored() {
		this.manager = SessionManager.builder(this.store).clock(this.clock).lazyCreate(false).build();
		SessionCommit result = commit(load());
		assertThat(result.getAction()).isEqualTo(SessionCommit.Action.SEND_ID);
		assertThat(this.store.creates).hasValue(1);
	}

	@Test
	void commitWhenNewSessionHasAttributeThenCreatesOnceAndSendsId() {
		Session session = load();
		session.set("count", 1);
		SessionCommit result = commit(session);
		assertThat(result.getAction()).isEqualTo(SessionCommit.Action.SEND_ID);
		assertThat(result.getClientValue()).isEqualTo(session.getId());
		assertThat(this.store.creates).hasValue(1);
		assertThat(this.store.total()).isEqualTo(1);
	}

	@Test
	void nothingToCommitOnlyWhenACommitWouldNeitherWriteNorAnswer() {
		Session fresh = load();
		assertThat(this.manager.isNothingToCommit(fresh)).isTrue();
		fresh.set("count", 1);
		assertThat(this.manager.isNothingToCommit(fresh)).isFalse();
		String id = commit(fresh).getClientValue();
		assertThat(this.manager.isNothingToCommit(fresh)).as("committed already").isFalse();
		Session stored = load(id);
		assertThat(stored.get("count")).isEqualTo(1);
		assertThat(this.manager.isNothingToCommit(stored)).isTrue();
		stored.set("count", 2);
		assertThat(this.manager.isNothingToCommit(stored)).isFalse();
		Session invalidated = load(id);
		invalidated.invalidate();
		assertThat(this.manager.isNothingToCommit(invalidated)).isFalse();
		Session regenerated = load(id);
		regenerated.regenerateId();
		assertThat(this.manager.isNothingToCommit(regenerated)).isFalse();
		int before = this.store.total();
		assertThat(this.manager.isNothingToCommit(load(id))).isTrue();
		assertThat(commit(load(id)).getAction()).isEqualTo(SessionCommit.Action.NONE);
		assertThat(this.store.total()).as("only the loads").isEqualTo(before + 2);
	}

	@Test
	void commitTwiceWritesOnce() {
		Session session = load();
		session.set("count", 1);
		SessionCommit first = commit(session);
		assertThat(commit(session)).isSameAs(first);
		assertThat(this.store.creates).hasValue(1);
	}

	@Test
	void loadWhenWellFormedButUnknownIdThenNewIdIsIssued() {
		String unknown = new RandomSessionIdGenerator().generate();
		Session session = load(unknown);
		assertThat(session.isNew()).isTrue();
		assertThat(this.store.loads).hasValue(1);
		session.set("a", 1);
		SessionCommit result = commit(session);
		assertThat(result.getClientValue()).isNotEqualTo(unknown);
		assertThat(load(unknown).isNew()).isTrue();
	}

	@Test
	void loadWhenMalformedValuesThenNoStoreAccess() {
		List<String> hostile = List.of("", "x", "../../../../etc/passwd", "a".repeat(6000), "\u0000".repeat(43),
				"'; DROP TABLE sessions; --", "ünïcödé", "\"quoted\"", "*", "fastsession:*",
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.", "abc def",
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		for (String value : hostile) {
			Session session = load(value);
			assertThat(session.isNew()).as(value).isTrue();
		}
		assertThat(this.store.total()).isZero();
	}

	@Test
	void loadTakesTheFirstValidValue() {
		String client = newSession("user", "alice");
		Session session = this.manager.load(List.of("garbage", client)).block();
		assertThat(session.get("user")).isEqualTo("alice");
	}

	@Test
	void unchangedSessionWritesNothingUntilTouchIsDue() {
		this.manager = SessionManager.builder(this.store)
			.clock(this.clock)
			.idleTimeout(Duration.ofMinutes(40))
			.touchThreshold(0.25)
			.build();
		String client = newSession("user", "alice");
		this.store.reset();
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(commit(load(client))).isSameAs(SessionCommit.NONE);
		assertThat(this.store.updates).hasValue(0);
		this.clock.advance(Duration.ofMinutes(1));
		SessionCommit touched = commit(load(client));
		assertThat(touched.getAction()).isEqualTo(SessionCommit.Action.REFRESH);
		assertThat(this.store.updates).hasValue(1);
		assertThat(this.store.deltas.get(0).isTouchOnly()).isTrue();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(commit(load(client))).isSameAs(SessionCommit.NONE);
		assertThat(this.store.updates).hasValue(1);
	}

	@Test
	void changedSessionWritesOnlyTheDelta() {
		String client = newSession(Map.of("a", 1, "b", 2, "c", 3));
		this.store.reset();
		Session session = load(client);
		session.set("b", 20);
		session.remove("c");
		session.get("a");
		commit(session);
		assertThat(this.store.updates).hasValue(1);
		assertThat(this.store.creates).hasValue(0);
		SessionDelta delta = this.store.deltas.get(0);
		assertThat(delta.getChanged()).containsOnlyKeys("b");
		assertThat(delta.getRemoved()).containsOnly("c");
		assertThat(delta.isClearAll()).isFalse();
	}

	@Test
	void deltaFollowsEverySetAndRemoveOfTheRequest() {
		String client = newSession(Map.of("a", 1, "b", 2, "c", 3));
		this.store.reset();
		Session session = load(client);
		// one name set, then removed, then set again; a second and a third name, one of
		// them removed, and a name removed that was never set by this request
		session.set("a", 10);
		session.remove("a");
		session.set("a", 11);
		session.set("d", 4);
		session.set("e", 5);
		session.remove("d");
		session.remove("c");
		commit(session);
		SessionDelta delta = this.store.deltas.get(0);
		assertThat(delta.getChanged()).containsOnlyKeys("a", "e");
		assertThat(delta.getRemoved()).containsOnly("c", "d");
		Session after = load(client);
		assertThat(after.getAttributes()).containsOnly(Map.entry("a", 11), Map.entry("b", 2), Map.entry("e", 5));
	}

	@Test
	void setThenRemoveOfOneNameWritesItsRemovalOnly() {
		String client = newSession("a", 1);
		this.store.reset();
		Session session = load(client);
		session.set("b", 2);
		session.remove("b");
		commit(session);
		SessionDelta delta = this.store.deltas.get(0);
		assertThat(delta.getChanged()).isEmpty();
		assertThat(delta.getRemoved()).containsOnly("b");
		assertThat(load(client).getAttributes()).containsOnly(Map.entry("a", 1));
	}

	@Test
	void refreshEncodesTheIdOnlyWhenTheTransportAsksForIt() {
		CountingIdCodec codec = new CountingIdCodec();
		this.manager = SessionManager.builder(this.store).clock(this.clock).idCodec(codec).build();
		Session first = load();
		first.set("count", 1);
		String client = commit(first).getClientValue();
		int encodedAtCreation = codec.encodes;
		Session session = load(client);
		session.set("count", 2);
		SessionCommit result = commit(session);
		assertThat(result.getAction()).isEqualTo(SessionCommit.Action.REFRESH);
		assertThat(codec.encodes).isEqualTo(encodedAtCreation);
		assertThat(result.getClientValue()).isEqualTo(client);
		assertThat(result.getClientValue()).isEqualTo(client);
		assertThat(codec.encodes).isEqualTo(encodedAtCreation + 1);
	}

	@Test
	void clearRemovesEverythingAndKeepsTheSession() {
		Session first = load();
		first.set("a", 1);
		first.set("b", 2);
		String client = commit(first).getClientValue();
		Session session = load(client);
		session.clear();
		session.set("c", 3);
		commit(session);
		Session after = load(client);
		assertThat(after.isNew()).isFalse();
		assertThat(after.getAttributeNames()).containsOnly("c");
	}

	@Test
	void typedAndUntypedReads() {
		Session session = load();
		session.set("count", 41);
		session.set("user", Map.of("name", "alice", "roles", List.of("admin")));
		String client = commit(session).getClientValue();
		Session loaded = load(client);
		assertThat(loaded.get("count")).isEqualTo(41);
		assertThat(loaded.get("count", Long.class)).isEqualTo(41L);
		assertThat(loaded.get("count", int.class)).isEqualTo(41);
		assertThat(loaded.getOrDefault("missing", Integer.class, 7)).isEqualTo(7);
		assertThat(loaded.get("user", User.class)).isEqualTo(new User("alice", List.of("admin")));
		assertThat(loaded.getAttributes()).containsOnlyKeys("count", "user");
	}

	@Test
	void setWhenValueCannotBeEncodedThenFailsAtTheCallSite() {
		Session session = load();
		assertThatThrownBy(() -> session.set("bad", new Object() {
			@SuppressWarnings("unused")
			public Object getSelf() {
				return this;
			}
		})).isInstanceOf(AttributeCodecException.class);
	}

	@Test
	void attributeNamesAreBounded() {
		Session session = load();
		assertThatThrownBy(() -> session.set("", 1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> session.set("x".repeat(201), 1)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void invalidatedSessionRefusesWrites() {
		Session session = load();
		session.invalidate();
		assertThat(session.isInvalidated()).isTrue();
		assertThatThrownBy(() -> session.set("a", 1)).isInstanceOf(IllegalStateException.class);
		assertThat(session.get("a")).isNull();
	}

	@Test
	void invalidateWhenNeverStoredThenNoStoreAccess() {
		Session session = load();
		session.invalidate();
		assertThat(commit(session)).isSameAs(SessionCommit.NONE);
		assertThat(this.store.total()).isZero();
	}

	@Test
	void regenerateOnNewSessionJustIssuesAnotherId() {
		Session session = load();
		String before = session.getId();
		session.regenerateId();
		assertThat(session.getId()).isNotEqualTo(before);
		session.set("a", 1);
		assertThat(commit(session).getClientValue()).isEqualTo(session.getId());
		assertThat(this.store.deletes).hasValue(0);
	}

	@Test
	void regenerateWhenOldSessionWasDeletedMeanwhileThenNothingSurvives() {
		String client = newSession("user", "alice");
		Session login = load(client);
		Session logout = load(client);
		login.regenerateId();
		logout.invalidate();
		commit(logout);
		assertThat(commit(login)).isSameAs(SessionCommit.EXPIRE);
		assertThat(this.store.count().block()).isZero();
	}

	@Test
	void expiredSessionIsDeletedWhenSeen(@TempDir Path directory) {
		useFileStore(directory);
		String client = newSession("user", "alice");
		this.clock.advance(Duration.ofMinutes(31));
		Session session = load(client);
		assertThat(session.isNew()).isTrue();
		commit(session);
		assertThat(this.store.deletes).hasValue(1);
	}

	@Test
	void storeFailureBecomesSessionStoreException() {
		SessionManager failing = SessionManager.builder(new FailingStore(Mono.error(new IllegalStateException("down"))))
			.build();
		StepVerifier.create(failing.load(List.of(new RandomSessionIdGenerator().generate())))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(SessionStoreException.class)
				.hasMessageContaining("load failed"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void inMemoryStoreFailuresRunInPlaceButAreReportedAlike() {
		RecordingListener listener = new RecordingListener();
		SessionManager failing = SessionManager.builder(new FailingStore(Mono.fromSupplier(() -> {
			throw new IllegalStateException("heap trouble");
		}), true)).listener(listener).build();
		Mono<Session> load = failing.load(List.of(new RandomSessionIdGenerator().generate()));
		assertThat(load).as("a synchronous source, run in place by the web layer").isInstanceOf(Callable.class);
		StepVerifier.create(load)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(SessionStoreException.class)
				.hasMessageContaining("load failed")
				.hasRootCauseMessage("heap trouble"))
			.verify(Duration.ofSeconds(5));
		Session fresh = failing.createSession();
		fresh.set("user", "alice");
		StepVerifier.create(failing.commit(fresh))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(SessionStoreException.class)
				.hasMessageContaining("create failed"))
			.verify(Duration.ofSeconds(5));
		assertThat(listener.storeErrors).containsExactly("load", "create");
	}

	@Test
	void slowStoreTimesOutWithinTheBound() {
		SessionManager slow = SessionManager.builder(new FailingStore(Mono.never()))
			.storeTimeout(Duration.ofMillis(200))
			.build();
		assertThat(slow.load(List.of(new RandomSessionIdGenerator().generate())))
			.as("subscribed through the timeout, not run in place")
			.isNotInstanceOf(Callable.class);
		StepVerifier.create(slow.load(List.of(new RandomSessionIdGenerator().generate())))
			.expectErrorSatisfies(
					(ex) -> assertThat(ex).isInstanceOf(SessionStoreException.class).hasMessageContaining("timed out"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void storeCallsAreTimedOutByTheTimerInTheSubscribersContext() {
		SessionManager slow = SessionManager.builder(new FailingStore(Mono.never()))
			.storeTimeout(Duration.ofSeconds(30))
			.build();
		VirtualTimeScheduler timer = VirtualTimeScheduler.create();
		Mono<Session> load = slow.load(List.of(new RandomSessionIdGenerator().generate()))
			.contextWrite(Context.of(SessionManager.TIMER_CONTEXT_KEY, timer));
		// Thirty seconds pass on the context's timer, and none on the parallel scheduler.
		StepVerifier.create(load)
			.then(() -> timer.advanceTimeBy(Duration.ofSeconds(30)))
			.expectErrorSatisfies(
					(ex) -> assertThat(ex).isInstanceOf(SessionStoreException.class).hasMessageContaining("timed out"))
			.verify(Duration.ofSeconds(5));
	}

	/**
	 * A regenerate makes two store calls, each within the store timeout here; together
	 * they take longer, and the commit is bounded as a whole: it fails (a 503) instead of
	 * adding one store timeout per call to the request.
	 */
	@Test
	void commitOfSeveralStoreCallsIsBoundedAsAWholeByTheStoreTimeout() {
		Duration perCall = Duration.ofMillis(150);
		SessionStore slow = new SlowWritesStore(new CaffeineSessionStore(1000, this.clock), perCall);
		SessionManager manager = SessionManager.builder(slow)
			.clock(this.clock)
			.storeTimeout(Duration.ofMillis(250))
			.build();
		Session session = manager.createSession();
		session.set("user", "alice");
		String client = manager.commit(session).block().getClientValue();
		Session login = manager.load(List.of(client)).block();
		login.regenerateId();
		StepVerifier.create(manager.commit(login))
			.expectErrorSatisfies(
					(ex) -> assertThat(ex).isInstanceOf(SessionStoreException.class).hasMessageContaining("timed out"))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void changesAfterTheCommitFailLoudlyAndReadsStillWork() {
		Session session = load();
		session.set("a", 1);
		String id = commit(session).getClientValue();
		assertThatThrownBy(() -> session.set("b", 2)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("after its commit");
		assertThatThrownBy(() -> session.remove("a")).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(session::clear).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(session::invalidate).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(session::regenerateId).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> session.setMaxIdleTime(Duration.ofMinutes(1)))
			.isInstanceOf(IllegalStateException.class);
		assertThat(session.get("a")).isEqualTo(1);

		Session read = load(id);
		assertThat(read.get("a")).isEqualTo(1);
		assertThat(this.manager.commitIfNothingToWrite(read)).isTrue();
		assertThatThrownBy(read::invalidate).as("a read-only request's session after its commit")
			.isInstanceOf(IllegalStateException.class);
		assertThat(load(id).isNew()).isFalse();
	}

	@Test
	void limitsRefuseAChangeWhereItIsMadeAndLeaveTheSessionAsItWas() {
		this.manager = SessionManager.builder(this.store)
			.clock(this.clock)
			.maxAttributeSize(100)
			.maxAttributes(3)
			.maxSessionSize(250)
			.build();
		Session session = load();
		assertThatThrownBy(() -> session.set("big", "x".repeat(99))).isInstanceOf(SessionTooLargeException.class)
			.hasMessageContaining("101 bytes");
		session.set("a", "x".repeat(98));
		session.set("b", "x".repeat(98));
		assertThatThrownBy(() -> session.set("c", "x".repeat(98))).as("251 bytes in all")
			.isInstanceOf(SessionTooLargeException.class);
		session.set("c", 1);
		assertThatThrownBy(() -> session.set("d", 1)).as("a fourth attribute")
			.isInstanceOf(SessionTooLargeException.class);
		session.set("c", 2);
		assertThat(session.getAttributeNames()).containsExactly("a", "b", "c");
		String id = commit(session).getClientValue();
		Session loaded = load(id);
		loaded.remove("a");
		loaded.set("d", "x".repeat(98));
		commit(loaded);
		assertThat(load(id).getAttributeNames()).containsExactlyInAnyOrder("b", "c", "d");
	}

	@Test
	void signedIdsRejectForgeriesWithoutStoreAccess() {
		HmacSessionIdCodec codec = HmacSessionIdCodec.fromStrings(List.of("k".repeat(32)));
		this.manager = SessionManager.builder(this.store).clock(this.clock).idCodec(codec).build();
		String client = newSession("user", "alice");
		assertThat(client).contains(".");
		assertThat(load(client).get("user")).isEqualTo("alice");
		this.store.reset();
		String id = client.substring(0, client.indexOf('.'));
		assertThat(load(id).isNew()).isTrue();
		assertThat(load(id + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").isNew()).isTrue();
		assertThat(this.store.total()).isZero();
	}

	@Test
	void listenerSeesLifecycleEvents(@TempDir Path directory) {
		useFileStore(directory);
		RecordingListener listener = new RecordingListener();
		this.manager = SessionManager.builder(this.store).clock(this.clock).listener(listener).build();
		String client = newSession("user", "alice");
		load("nonsense");
		Session session = load(client);
		session.invalidate();
		commit(session);
		String other = newSession("user", "bob");
		this.clock.advance(Duration.ofHours(1));
		load(other);
		assertThat(listener.events).containsExactly("created", "rejected", "invalidated", "created", "expired");
	}

	/**
	 * The file store returns expired records for the manager to judge, where Caffeine
	 * would have dropped them already.
	 */
	private void useFileStore(Path directory) {
		this.store = new CountingSessionStore(new FileSessionStore(directory));
		this.manager = SessionManager.builder(this.store).clock(this.clock).build();
	}

	private String newSession(String name, Object value) {
		return newSession(Map.of(name, value));
	}

	private String newSession(Map<String, Object> attributes) {
		Session session = load();
		attributes.forEach(session::set);
		return commit(session).getClientValue();
	}

	private Session load(String... values) {
		return this.manager.load(List.of(values)).block();
	}

	private SessionCommit commit(Session session) {
		return this.manager.commit(session).block();
	}

	record User(String name, List<String> roles) {
	}

	static final class RecordingListener implements SessionListener {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void sessionCreated() {
			this.events.add("created");
		}

		@Override
		public void sessionInvalidated() {
			this.events.add("invalidated");
		}

		@Override
		public void sessionExpired() {
			this.events.add("expired");
		}

		@Override
		public void idRejected() {
			this.events.add("rejected");
		}

		@Override
		public void decodeFailed() {
			this.events.add("decodeFailed");
		}

		final List<String> storeErrors = new CopyOnWriteArrayList<>();

		@Override
		public void storeCalled(String operation, Duration elapsed, @Nullable Throwable error) {
			if (error != null) {
				this.storeErrors.add(operation);
			}
		}

	}

	/** Writes that each take a while, as over a slow network. */
	private record SlowWritesStore(SessionStore delegate, Duration delay) implements SessionStore {

		@Override
		public Mono<SessionRecord> load(String key) {
			return this.delegate.load(key);
		}

		@Override
		public Mono<Void> create(String key, SessionRecord record) {
			return this.delegate.create(key, record).delaySubscription(this.delay);
		}

		@Override
		public Mono<Boolean> update(String key, SessionDelta delta) {
			return this.delegate.update(key, delta).delaySubscription(this.delay);
		}

		@Override
		public Mono<Boolean> delete(String key) {
			return this.delegate.delete(key).delaySubscription(this.delay);
		}

		@Override
		public Mono<Long> count() {
			return this.delegate.count();
		}

	}

	private record FailingStore(Mono<SessionRecord> loadResult, boolean inMemory) implements SessionStore {

		FailingStore(Mono<SessionRecord> loadResult) {
			this(loadResult, false);
		}

		@Override
		public boolean isInMemory() {
			return this.inMemory;
		}

		@Override
		public Mono<SessionRecord> load(String key) {
			return this.loadResult;
		}

		@Override
		public Mono<Void> create(String key, SessionRecord record) {
			return Mono.error(new IllegalStateException("down"));
		}

		@Override
		public Mono<Boolean> update(String key, SessionDelta delta) {
			return Mono.error(new IllegalStateException("down"));
		}

		@Override
		public Mono<Boolean> delete(String key) {
			return Mono.error(new IllegalStateException("down"));
		}

		@Override
		public Mono<Long> count() {
			return Mono.error(new IllegalStateException("down"));
		}

	}

	/** The plain id codec, counting its encodings. */
	static final class CountingIdCodec implements SessionIdCodec {

		int encodes;

		@Override
		public String encode(String sessionId) {
			this.encodes++;
			return sessionId;
		}

		@Override
		public @Nullable String decode(String value) {
			return value;
		}

	}

}
