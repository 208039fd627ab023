package io.fastsession.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.fastsession.MutableClock;
import io.fastsession.Session;
import io.fastsession.SessionCommit;
import io.fastsession.SessionInfo;
import io.fastsession.SessionManager;
import io.fastsession.SessionTooLargeException;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionIdGenerator;
import io.fastsession.id.SessionKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link SessionStore} must honour. A provider's test extends this
 * class, creates its store in {@link #createStore} and writes garbage in
 * {@link #corrupt}; every test here then runs against the real backend.
 * <p>
 * Tests use a {@link MutableClock} that starts at the current time, so stores whose
 * backend keeps its own TTLs see sensible values, while expiry is tested by moving the
 * clock.
 */
public abstract class SessionStoreContractTests {

	private static final Duration BLOCK = Duration.ofSeconds(30);

	private static final SessionIdGenerator KEY_SOURCE = new RandomSessionIdGenerator();

	protected MutableClock clock;

	protected SessionStore store;

	protected SessionManager manager;

	/**
	 * Create the store under test. Keys written by earlier tests may still be there;
	 * tests only rely on keys they create.
	 * @param clock the clock the store must use for any notion of "now"
	 * @return the store
	 */
	protected abstract SessionStore createStore(MutableClock clock) throws Exception;

	/**
	 * Replace the stored session under a key with garbage, through the backend directly.
	 * @param key the session key
	 */
	protected abstract void corrupt(String key) throws Exception;

	/**
	 * Whether a stored session can be corrupted at all; a store that keeps objects rather
	 * than bytes cannot, and skips the tests that need it.
	 * @return {@code true} if {@link #corrupt} works
	 */
	protected boolean canCorruptRecords() {
		return true;
	}

	/**
	 * Whether the backend removes expired sessions by itself on its own real-time clock
	 * (a TTL), so that moving the test clock does not remove them.
	 * @return {@code true} for TTL-based stores
	 */
	protected boolean expiresOnRealTime() {
		return false;
	}

	/**
	 * Whether {@link SessionStore#count()} is supported.
	 * @return {@code false} for stores that report it unsupported
	 */
	protected boolean supportsCount() {
		return true;
	}

	/**
	 * Number of concurrent writers in the concurrency tests.
	 * @return the number of writers
	 */
	protected int concurrentWriters() {
		return 64;
	}

	@BeforeEach
	void setUpStore() throws Exception {
		this.clock = MutableClock.startingNow();
		this.store = createStore(this.clock);
		this.manager = managerBuilder().build();
	}

	@AfterEach
	void closeStore() throws Exception {
		if (this.store instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	protected SessionManager.Builder managerBuilder() {
		return SessionManager.builder(this.store).clock(this.clock).storeTimeout(Duration.ofSeconds(10));
	}

	// --- store level ---

	@Test
	void loadWhenMissingThenEmpty() {
		assertThat(this.store.load(newKey()).blockOptional(BLOCK)).isEmpty();
	}

	@Test
	void createThenLoadReturnsTheSameRecord() {
		String key = newKey();
		SessionRecord record = record(Map.of("a", bytes("1"), "b", bytes("\"two\"")));
		this.store.create(key, record).block(BLOCK);
		assertThat(load(key)).isEqualTo(record);
	}

	@Test
	void createWithAbsoluteExpiryKeepsIt() {
		String key = newKey();
		Instant now = this.clock.instant();
		SessionRecord record = new SessionRecord(now, now, Duration.ofMinutes(30), now.plus(Duration.ofHours(8)),
				Map.of("a", bytes("1")));
		this.store.create(key, record).block(BLOCK);
		assertThat(load(key).getAbsoluteExpiry()).isEqualTo(now.plus(Duration.ofHours(8)));
	}

	@Test
	void createWhenKeyExistsThenReplaces() {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1")))).block(BLOCK);
		this.store.create(key, record(Map.of("b", bytes("2")))).block(BLOCK);
		assertThat(load(key).getAttributes()).containsOnlyKeys("b");
	}

	@Test
	void updateWritesOnlyTheDelta() {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1"), "b", bytes("2"), "c", bytes("3")))).block(BLOCK);
		this.clock.advance(Duration.ofMinutes(1));
		SessionDelta delta = delta(false, Map.of("b", bytes("20"), "d", bytes("4")), Set.of("c"));
		assertThat(this.store.update(key, delta).block(BLOCK)).isTrue();
		SessionRecord loaded = load(key);
		assertThat(loaded.getAttributes()).containsOnlyKeys("a", "b", "d");
		assertThat(loaded.getAttributes().get("a")).isEqualTo(bytes("1"));
		assertThat(loaded.getAttributes().get("b")).isEqualTo(bytes("20"));
		assertThat(loaded.getAttributes().get("d")).isEqualTo(bytes("4"));
		assertThat(loaded.getLastAccessTime()).isEqualTo(this.clock.instant());
	}

	@Test
	void updateWhenClearAllThenEarlierAttributesAreGone() {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1"), "b", bytes("2")))).block(BLOCK);
		assertThat(this.store.update(key, delta(true, Map.of("c", bytes("3")), Set.of())).block(BLOCK)).isTrue();
		assertThat(load(key).getAttributes()).containsOnlyKeys("c");
	}

	@Test
	void updateWhenTouchOnlyThenMovesExpiryAndKeepsAttributes() {
		String key = newKey();
		SessionRecord created = record(Map.of("a", bytes("1")));
		this.store.create(key, created).block(BLOCK);
		this.clock.advance(Duration.ofMinutes(20));
		SessionDelta touch = new SessionDelta(this.clock.instant(), Duration.ofHours(2), true, false, Map.of(),
				Set.of(), null, null);
		assertThat(this.store.update(key, touch).block(BLOCK)).isTrue();
		SessionRecord loaded = load(key);
		assertThat(loaded.getAttributes()).containsOnlyKeys("a");
		assertThat(loaded.getLastAccessTime()).isEqualTo(this.clock.instant());
		assertThat(loaded.getMaxIdleTime()).isEqualTo(Duration.ofHours(2));
		assertThat(loaded.getCreationTime()).isEqualTo(created.getCreationTime());
	}

	@Test
	void updateWhenMissingThenFalseAndNothingIsCreated() {
		String key = newKey();
		assertThat(this.store.update(key, delta(false, Map.of("a", bytes("1")), Set.of())).block(BLOCK)).isFalse();
		assertThat(this.store.load(key).blockOptional(BLOCK)).isEmpty();
	}

	@Test
	void deleteThenLoadIsEmpty() {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1")))).block(BLOCK);
		assertThat(this.store.delete(key).block(BLOCK)).isTrue();
		assertThat(this.store.load(key).blockOptional(BLOCK)).isEmpty();
		assertThat(this.store.delete(key).block(BLOCK)).isFalse();
	}

	@Test
	void lateWriteAfterDeleteDoesNotResurrect() {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1")))).block(BLOCK);
		this.store.delete(key).block(BLOCK);
		assertThat(this.store.update(key, delta(false, Map.of("b", bytes("2")), Set.of())).block(BLOCK)).isFalse();
		assertThat(this.store.update(key, delta(true, Map.of(), Set.of())).block(BLOCK)).isFalse();
		assertThat(this.store.load(key).blockOptional(BLOCK)).isEmpty();
	}

	@Test
	void concurrentWritersOfDistinctAttributesAreAllKept() throws Exception {
		String key = newKey();
		this.store.create(key, record(Map.of("base", bytes("0")))).block(BLOCK);
		int writers = concurrentWriters();
		runConcurrently(writers, (i) -> {
			SessionDelta delta = delta(false, Map.of("attr" + i, bytes(Integer.toString(i))), Set.of());
			assertThat(this.store.update(key, delta).block(BLOCK)).isTrue();
		});
		Map<String, byte[]> attributes = load(key).getAttributes();
		assertThat(attributes).hasSize(writers + 1).containsKey("base");
		for (int i = 0; i < writers; i++) {
			assertThat(attributes.get("attr" + i)).isEqualTo(bytes(Integer.toString(i)));
		}
	}

	@Test
	void attributeNamesAndValuesRoundTripExactly() {
		String key = newKey();
		Map<String, byte[]> attributes = new LinkedHashMap<>();
		attributes.put("ünïcödé ключ 鍵", bytes("1"));
		attributes.put("with space:and:colons", bytes("2"));
		attributes.put("x".repeat(200), bytes("3"));
		attributes.put("created", bytes("4"));
		attributes.put("__meta", bytes("5"));
		attributes.put("'; DROP TABLE sessions; --", bytes("6"));
		attributes.put("binary", new byte[] { 0, (byte) 0xff, 10, 13, 0x7f, (byte) 0x80 });
		byte[] large = new byte[100 * 1024];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) (i * 31);
		}
		attributes.put("large", large);
		this.store.create(key, record(attributes)).block(BLOCK);
		SessionRecord loaded = load(key);
		assertThat(loaded.getAttributes()).containsOnlyKeys(attributes.keySet());
		attributes.forEach((name, value) -> assertThat(loaded.getAttributes().get(name)).as(name).isEqualTo(value));
		SessionDelta delta = delta(false, Map.of("created", bytes("40")), Set.of("__meta"));
		this.store.update(key, delta).block(BLOCK);
		SessionRecord updated = load(key);
		assertThat(updated.getAttributes().get("created")).isEqualTo(bytes("40"));
		assertThat(updated.getAttributes()).doesNotContainKey("__meta").containsKey("large");
	}

	@Test
	void countCountsStoredSessions() {
		if (!supportsCount()) {
			assertThatThrownBy(() -> this.store.count().block(BLOCK)).isInstanceOf(UnsupportedOperationException.class);
			return;
		}
		long before = this.store.count().block(BLOCK);
		List<String> keys = List.of(newKey(), newKey(), newKey());
		keys.forEach((key) -> this.store.create(key, record(Map.of("a", bytes("1")))).block(BLOCK));
		assertThat(this.store.count().block(BLOCK)).isEqualTo(before + 3);
		this.store.delete(keys.get(0)).block(BLOCK);
		assertThat(this.store.count().block(BLOCK)).isEqualTo(before + 2);
	}

	@Test
	void removeExpiredRemovesOnlyExpiredSessions() {
		Instant now = this.clock.instant();
		String shortLived = newKey();
		String longLived = newKey();
		this.store.create(shortLived, new SessionRecord(now, now, Duration.ofMinutes(5), null, Map.of("a", bytes("1"))))
			.block(BLOCK);
		this.store.create(longLived, new SessionRecord(now, now, Duration.ofHours(5), null, Map.of("a", bytes("1"))))
			.block(BLOCK);
		this.clock.advance(Duration.ofMinutes(6));
		this.store.removeExpired(this.clock.instant()).block(BLOCK);
		assertThat(this.store.load(longLived).blockOptional(BLOCK)).isPresent();
		if (!expiresOnRealTime()) {
			assertThat(this.store.load(shortLived).blockOptional(BLOCK)).isEmpty();
		}
	}

	@Test
	void corruptRecordLoadsAsEmpty() throws Exception {
		assumeTrue(canCorruptRecords());
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1")))).block(BLOCK);
		corrupt(key);
		assertThat(this.store.load(key).blockOptional(BLOCK)).isEmpty();
		assertThat(this.store.update(key, delta(false, Map.of("b", bytes("2")), Set.of())).block(BLOCK)).isFalse();
	}

	// --- manager level: the lifecycle on this store ---

	@Test
	void sessionRoundTripsThroughTheManager() {
		String client = newSession(Map.of("user", "alice", "count", 3));
		Session session = request(client);
		assertThat(session.isNew()).isFalse();
		assertThat(session.get("user", String.class)).isEqualTo("alice");
		assertThat(session.get("count", Integer.class)).isEqualTo(3);
	}

	@Test
	void newSessionWithoutAttributesIsNotStored() {
		Session session = request(null);
		String id = session.getId();
		assertThat(commit(session).getAction()).isEqualTo(SessionCommit.Action.NONE);
		assertThat(this.store.load(SessionKeys.hash(id)).blockOptional(BLOCK)).isEmpty();
	}

	@Test
	void regenerateKeepsDataAndKillsTheOldId() {
		String oldClient = newSession(Map.of("cart", List.of("book")));
		Session session = request(oldClient);
		session.set("user", "alice");
		session.regenerateId();
		SessionCommit result = commit(session);
		assertThat(result.getAction()).isEqualTo(SessionCommit.Action.SEND_ID);
		String newClient = result.getClientValue();
		assertThat(newClient).isNotEqualTo(oldClient);
		Session old = request(oldClient);
		assertThat(old.isNew()).isTrue();
		assertThat(old.getAttributeNames()).isEmpty();
		Session renewed = request(newClient);
		assertThat(renewed.isNew()).isFalse();
		assertThat(renewed.get("user", String.class)).isEqualTo("alice");
		assertThat(renewed.get("cart", List.class)).containsExactly("book");
	}

	@Test
	void deleteRacingWithWritersNeverLeavesTheSessionAlive() throws Exception {
		int writers = concurrentWriters();
		for (int round = 0; round < 3; round++) {
			String key = newKey();
			this.store.create(key, record(Map.of("base", bytes("0")))).block(BLOCK);
			runConcurrently(writers + 1, (i) -> {
				if (i == writers / 2) {
					assertThat(this.store.delete(key).block(BLOCK)).isTrue();
				}
				else {
					this.store.update(key, delta(false, Map.of("attr" + i, bytes(Integer.toString(i))), Set.of()))
						.block(BLOCK);
				}
			});
			assertThat(this.store.load(key).blockOptional(BLOCK)).as("round %d", round).isEmpty();
			assertThat(this.store.update(key, delta(false, Map.of("late", bytes("1")), Set.of())).block(BLOCK))
				.isFalse();
			assertThat(this.store.load(key).blockOptional(BLOCK)).isEmpty();
		}
	}

	@Test
	void logoutRacingWithRequestsNeverLeavesTheSessionAlive() throws Exception {
		int writers = concurrentWriters();
		String client = newSession(Map.of("user", "alice"));
		runConcurrently(writers + 1, (i) -> {
			Session session = request(client);
			if (i == writers / 2) {
				session.invalidate();
			}
			else {
				session.set("writer" + i, i);
			}
			commit(session);
		});
		Session after = request(client);
		assertThat(after.isNew()).isTrue();
		assertThat(after.getAttributeNames()).isEmpty();
	}

	@Test
	void invalidateThenLateWriteDoesNotResurrect() {
		String client = newSession(Map.of("user", "alice"));
		Session logout = request(client);
		Session inFlight = request(client);
		logout.invalidate();
		assertThat(commit(logout).getAction()).isEqualTo(SessionCommit.Action.EXPIRE);
		inFlight.set("late", "write");
		// Dropped, and the client told its session is gone.
		assertThat(commit(inFlight).getAction()).isEqualTo(SessionCommit.Action.EXPIRE);
		Session after = request(client);
		assertThat(after.isNew()).isTrue();
		assertThat(after.getAttributeNames()).isEmpty();
		assertThat(after.getId()).isNotEqualTo(client);
	}

	@Test
	void concurrentRequestsOnOneSessionKeepEveryAttribute() throws Exception {
		String client = newSession(Map.of("base", 0));
		int writers = concurrentWriters();
		runConcurrently(writers, (i) -> {
			Session session = request(client);
			session.set("writer" + i, i);
			commit(session);
		});
		Session session = request(client);
		for (int i = 0; i < writers; i++) {
			assertThat(session.get("writer" + i, Integer.class)).isEqualTo(i);
		}
		assertThat(session.get("base", Integer.class)).isZero();
	}

	@Test
	void idleExpiryGivesAFreshSession() {
		this.manager = managerBuilder().idleTimeout(Duration.ofMinutes(10)).build();
		String client = newSession(Map.of("user", "alice"));
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(request(client).isNew()).isFalse();
		this.clock.advance(Duration.ofMinutes(2));
		Session expired = request(client);
		assertThat(expired.isNew()).isTrue();
		assertThat(expired.getAttributeNames()).isEmpty();
		assertThat(expired.getId()).isNotEqualTo(client);
	}

	@Test
	void activityExtendsTheIdleWindow() {
		this.manager = managerBuilder().idleTimeout(Duration.ofMinutes(10)).touchThreshold(0.25).build();
		String client = newSession(Map.of("user", "alice"));
		for (int i = 0; i < 6; i++) {
			this.clock.advance(Duration.ofMinutes(4));
			Session session = request(client);
			assertThat(session.isNew()).as("request %d", i).isFalse();
			commit(session);
		}
	}

	@Test
	void absoluteExpiryEndsASessionDespiteActivity() {
		this.manager = managerBuilder().idleTimeout(Duration.ofMinutes(30))
			.absoluteTimeout(Duration.ofHours(1))
			.touchThreshold(0)
			.build();
		String client = newSession(Map.of("user", "alice"));
		for (int i = 0; i < 2; i++) {
			this.clock.advance(Duration.ofMinutes(25));
			Session session = request(client);
			assertThat(session.isNew()).isFalse();
			commit(session);
		}
		this.clock.advance(Duration.ofMinutes(11));
		assertThat(request(client).isNew()).isTrue();
	}

	@Test
	void perSessionIdleTimeoutIsKept() {
		String client = newSession(Map.of("user", "alice"));
		Session session = request(client);
		session.setMaxIdleTime(Duration.ofHours(12));
		commit(session);
		this.clock.advance(Duration.ofHours(11));
		Session later = request(client);
		assertThat(later.isNew()).isFalse();
		assertThat(later.getMaxIdleTime()).isEqualTo(Duration.ofHours(12));
	}

	@Test
	void corruptRecordGivesAFreshSession() throws Exception {
		assumeTrue(canCorruptRecords());
		String client = newSession(Map.of("user", "alice"));
		corrupt(SessionKeys.hash(this.manager.decodeId(client)));
		Session session = request(client);
		assertThat(session.isNew()).isTrue();
		assertThat(session.getAttributeNames()).isEmpty();
	}

	@Test
	void undecodableAttributeGivesAFreshSessionAndDropsTheOldOne() {
		String client = newSession(Map.of("user", "alice"));
		String key = SessionKeys.hash(this.manager.decodeId(client));
		SessionRecord stored = load(key);
		Map<String, byte[]> broken = new LinkedHashMap<>(stored.getAttributes());
		broken.put("user", bytes("{\"truncated"));
		this.store
			.create(key,
					new SessionRecord(stored.getCreationTime(), stored.getLastAccessTime(), stored.getMaxIdleTime(),
							stored.getAbsoluteExpiry(), broken))
			.block(BLOCK);
		Session session = request(client);
		assertThat(session.get("user", String.class)).isNull();
		assertThat(session.isNew()).isTrue();
		session.set("fresh", true);
		SessionCommit result = commit(session);
		assertThat(result.getAction()).isEqualTo(SessionCommit.Action.SEND_ID);
		assertThat(this.store.load(key).blockOptional(BLOCK)).isEmpty();
		assertThat(request(result.getClientValue()).get("fresh", Boolean.class)).isTrue();
	}

	@Test
	void sessionsCanBeFoundAndRevokedByPrincipal() {
		String principal = "alice-" + UUID.randomUUID();
		String laptop = newSession(Map.of(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, principal, "device", "laptop"));
		String phone = newSession(Map.of(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, principal, "device", "phone"));
		String other = newSession(Map.of(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, "bob-" + UUID.randomUUID()));
		String anonymous = newSession(Map.of("device", "kiosk"));
		List<SessionInfo> found = this.manager.findByPrincipal(principal).collectList().block(BLOCK);
		assertThat(found).extracting(SessionInfo::key).containsExactlyInAnyOrder(key(laptop), key(phone));
		assertThat(found).allSatisfy((info) -> assertThat(info.principal()).isEqualTo(principal));
		assertThat(this.manager.deleteByPrincipal(principal).block(BLOCK)).isEqualTo(2);
		assertThat(request(laptop).isNew()).isTrue();
		assertThat(request(phone).isNew()).isTrue();
		assertThat(request(other).isNew()).isFalse();
		assertThat(request(anonymous).isNew()).isFalse();
		assertThat(this.manager.findByPrincipal(principal).collectList().block(BLOCK)).isEmpty();
	}

	@Test
	void loginMovesTheSessionIntoItsPrincipalsIndex() {
		String principal = "carol-" + UUID.randomUUID();
		String anonymous = newSession(Map.of("cart", List.of("book")));
		Session login = request(anonymous);
		login.set(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, principal);
		login.regenerateId();
		String loggedIn = commit(login).getClientValue();
		assertThat(this.manager.findByPrincipal(principal).map(SessionInfo::key).collectList().block(BLOCK))
			.containsExactly(key(loggedIn));
		Session renamed = request(loggedIn);
		String other = principal + "-renamed";
		renamed.set(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, other);
		commit(renamed);
		assertThat(this.manager.findByPrincipal(principal).collectList().block(BLOCK)).isEmpty();
		assertThat(this.manager.findByPrincipal(other).map(SessionInfo::key).collectList().block(BLOCK))
			.containsExactly(key(loggedIn));
		Session logout = request(loggedIn);
		logout.invalidate();
		commit(logout);
		assertThat(this.manager.findByPrincipal(other).collectList().block(BLOCK)).isEmpty();
	}

	/**
	 * Logins of one user on many devices at once all land in the user's index, and the
	 * store's own answer leaves out a session that is gone.
	 */
	@Test
	void concurrentLoginsOfOneUserAreAllIndexedAndDeletedOnesLeaveTheIndex() throws Exception {
		String principal = "erin-" + UUID.randomUUID();
		List<String> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
		runConcurrently(16, (index) -> clients
			.add(newSession(Map.of(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, principal, "device", "d" + index))));
		List<String> keys = clients.stream().map(this::key).toList();
		assertThat(this.store.findByPrincipal(principal).collectList().block(BLOCK))
			.containsExactlyInAnyOrderElementsOf(keys);
		this.store.delete(keys.get(0)).block(BLOCK);
		assertThat(this.store.findByPrincipal(principal).collectList().block(BLOCK)).doesNotContain(keys.get(0))
			.containsAll(keys.subList(1, keys.size()));
		assertThat(this.manager.deleteByPrincipal(principal).block(BLOCK)).isEqualTo(15);
		assertThat(this.store.findByPrincipal(principal).collectList().block(BLOCK)).isEmpty();
	}

	/**
	 * A request that loaded the session before another one logged in must not write the
	 * principal back to what it saw: "log out everywhere" would then miss the session.
	 */
	@Test
	void aSlowRequestDoesNotUndoALoginsPrincipal() {
		String principal = "dave-" + UUID.randomUUID();
		String client = newSession(Map.of("cart", "book"));
		Session slow = request(client);
		Session login = request(client);
		login.set(SessionManager.PRINCIPAL_NAME_ATTRIBUTE, principal);
		commit(login);
		slow.set("cart", "pen");
		commit(slow);
		SessionRecord stored = load(key(client));
		assertThat(stored.getPrincipal()).isEqualTo(principal);
		assertThat(request(client).get("cart", String.class)).isEqualTo("pen");
		assertThat(this.manager.findByPrincipal(principal).map(SessionInfo::key).collectList().block(BLOCK))
			.containsExactly(key(client));
	}

	/**
	 * A request that loaded the session before another one shortened its idle timeout
	 * must not restore the longer one.
	 */
	@Test
	void aSlowRequestDoesNotUndoAShorterIdleTimeout() {
		String client = newSession(Map.of("user", "alice"));
		Session slow = request(client);
		Session shortened = request(client);
		shortened.setMaxIdleTime(Duration.ofMinutes(5));
		commit(shortened);
		slow.set("seen", true);
		commit(slow);
		SessionRecord stored = load(key(client));
		assertThat(stored.getMaxIdleTime()).isEqualTo(Duration.ofMinutes(5));
		assertThat(stored.isMaxIdleTimeOverridden()).isTrue();
		this.clock.advance(Duration.ofMinutes(6));
		this.store.removeExpired(this.clock.instant()).block(BLOCK);
		if (!expiresOnRealTime()) {
			assertThat(this.store.load(key(client)).blockOptional(BLOCK)).as("swept by the store's own expiry")
				.isEmpty();
		}
		assertThat(request(client).isNew()).isTrue();
	}

	/**
	 * A session's own longer idle timeout ("remember me") survives a write by a request
	 * that did not set it, in the store's own expiry too.
	 */
	@Test
	void aSlowRequestDoesNotUndoALongerOwnIdleTimeout() {
		String client = newSession(Map.of("user", "alice"));
		Session slow = request(client);
		Session remembered = request(client);
		remembered.setMaxIdleTime(Duration.ofHours(12));
		commit(remembered);
		slow.set("seen", true);
		commit(slow);
		this.clock.advance(Duration.ofHours(1));
		this.store.removeExpired(this.clock.instant()).block(BLOCK);
		Session later = request(client);
		assertThat(later.isNew()).isFalse();
		assertThat(later.getMaxIdleTime()).isEqualTo(Duration.ofHours(12));
		assertThat(later.get("seen", Boolean.class)).isTrue();
	}

	/**
	 * Restarting with a shorter idle timeout ends sessions stored under the longer one.
	 */
	@Test
	void aShorterConfiguredIdleTimeoutReachesStoredSessions() {
		String client = newSession(Map.of("user", "alice"));
		this.manager = managerBuilder().idleTimeout(Duration.ofMinutes(10)).build();
		this.clock.advance(Duration.ofMinutes(9));
		Session active = request(client);
		assertThat(active.isNew()).isFalse();
		assertThat(active.getMaxIdleTime()).isEqualTo(Duration.ofMinutes(10));
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(request(client).isNew()).as("idle 11 minutes under a 10-minute timeout").isTrue();
	}

	/**
	 * Restarting with an absolute timeout ends sessions created before it was set,
	 * however active they are.
	 */
	@Test
	void aConfiguredAbsoluteTimeoutReachesStoredSessions() {
		String client = newSession(Map.of("user", "alice"));
		this.manager = managerBuilder().absoluteTimeout(Duration.ofHours(1)).touchThreshold(0).build();
		for (int i = 0; i < 2; i++) {
			this.clock.advance(Duration.ofMinutes(25));
			Session session = request(client);
			assertThat(session.isNew()).isFalse();
			commit(session);
		}
		this.clock.advance(Duration.ofMinutes(11));
		assertThat(request(client).isNew()).as("61 minutes after creation").isTrue();
	}

	/**
	 * A session's own idle timeout is not cut by a shorter configured one.
	 */
	@Test
	void aSessionsOwnIdleTimeoutOutlivesAShorterConfiguredOne() {
		String client = newSession(Map.of("user", "alice"));
		Session remembered = request(client);
		remembered.setMaxIdleTime(Duration.ofHours(12));
		commit(remembered);
		this.manager = managerBuilder().idleTimeout(Duration.ofMinutes(10)).build();
		this.clock.advance(Duration.ofHours(1));
		Session later = request(client);
		assertThat(later.isNew()).isFalse();
		assertThat(later.getMaxIdleTime()).isEqualTo(Duration.ofHours(12));
	}

	/**
	 * The manager's size limits hold whatever the store, and a session exactly at the
	 * limit is stored and read back whole.
	 */
	@Test
	void aSessionAtTheSizeLimitWorksAndOneByteMoreIsRefused() {
		int limit = 64 * 1024;
		this.manager = managerBuilder().maxSessionSize(limit).maxAttributeSize(limit).build();
		Session session = request(null);
		session.set("a", "x".repeat(1000));
		String filler = "y".repeat(limit - 1 - "a".length() - 1002 - "b".length() - 2);
		session.set("b", filler);
		assertThatThrownBy(() -> session.set("c", 1)).isInstanceOf(SessionTooLargeException.class);
		String client = commit(session).getClientValue();
		Session loaded = request(client);
		assertThat(loaded.get("b", String.class)).isEqualTo(filler);
		loaded.set("a", "x".repeat(1001));
		assertThatThrownBy(() -> loaded.set("b", filler + "z")).isInstanceOf(SessionTooLargeException.class);
		assertThat(loaded.get("b", String.class)).as("unchanged by the refused set").isEqualTo(filler);
		commit(loaded);
		assertThat(request(client).get("a", String.class)).hasSize(1001);
	}

	// --- helpers ---

	protected String key(String clientValue) {
		return SessionKeys.hash(this.manager.decodeId(clientValue));
	}

	protected String newSession(Map<String, Object> attributes) {
		Session session = request(null);
		attributes.forEach(session::set);
		SessionCommit result = commit(session);
		assertThat(result.getAction()).isEqualTo(SessionCommit.Action.SEND_ID);
		return result.getClientValue();
	}

	protected Session request(String clientValue) {
		return this.manager.load((clientValue != null) ? List.of(clientValue) : List.of()).block(BLOCK);
	}

	protected SessionCommit commit(Session session) {
		return this.manager.commit(session).block(BLOCK);
	}

	protected SessionRecord load(String key) {
		SessionRecord record = this.store.load(key).block(BLOCK);
		assertThat(record).as("record for %s", key).isNotNull();
		return record;
	}

	protected SessionRecord record(Map<String, byte[]> attributes) {
		Instant now = this.clock.instant();
		return new SessionRecord(now, now, Duration.ofMinutes(30), null, attributes);
	}

	protected SessionDelta delta(boolean clearAll, Map<String, byte[]> changed, Set<String> removed) {
		return new SessionDelta(this.clock.instant(), Duration.ofMinutes(30), clearAll, changed, removed);
	}

	protected static String newKey() {
		return SessionKeys.hash(KEY_SOURCE.generate());
	}

	protected static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	protected static void runConcurrently(int tasks, ConcurrentTask task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(tasks);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < tasks; i++) {
				int index = i;
				futures.add(executor.submit(() -> {
					start.await();
					task.run(index);
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@FunctionalInterface
	protected interface ConcurrentTask {

		void run(int index) throws Exception;

	}

}
