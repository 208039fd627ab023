package io.fastsession.store;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

/**
 * Wraps a store and records every call, to assert how many store operations a request
 * costs and what a write contained.
 */
public final class CountingSessionStore implements SessionStore {

	private final SessionStore delegate;

	public final AtomicInteger loads = new AtomicInteger();

	public final AtomicInteger creates = new AtomicInteger();

	public final AtomicInteger updates = new AtomicInteger();

	public final AtomicInteger deletes = new AtomicInteger();

	public final List<SessionDelta> deltas = new CopyOnWriteArrayList<>();

	public CountingSessionStore(SessionStore delegate) {
		this.delegate = delegate;
	}

	public int total() {
		return this.loads.get() + this.creates.get() + this.updates.get() + this.deletes.get();
	}

	public void reset() {
		this.loads.set(0);
		this.creates.set(0);
		this.updates.set(0);
		this.deletes.set(0);
		this.deltas.clear();
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		this.loads.incrementAndGet();
		return this.delegate.load(key);
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		this.creates.incrementAndGet();
		return this.delegate.create(key, record);
	}

	@Override
	public Mono<Boolean> update(String key, SessionDelta delta) {
		this.updates.incrementAndGet();
		this.deltas.add(delta);
		return this.delegate.update(key, delta);
	}

	@Override
	public Mono<Boolean> delete(String key) {
		this.deletes.incrementAndGet();
		return this.delegate.delete(key);
	}

	@Override
	public boolean isInMemory() {
		return this.delegate.isInMemory();
	}

	@Override
	public Mono<Long> count() {
		return this.delegate.count();
	}

	@Override
	public Mono<Long> removeExpired(Instant now) {
		return this.delegate.removeExpired(now);
	}

}
