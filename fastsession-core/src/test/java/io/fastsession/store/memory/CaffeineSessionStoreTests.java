package io.fastsession.store.memory;

import java.time.Duration;
import java.util.Map;

import io.fastsession.MutableClock;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.fastsession.store.SessionStoreContractTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaffeineSessionStoreTests extends SessionStoreContractTests {

	@Override
	protected SessionStore createStore(MutableClock clock) {
		return new CaffeineSessionStore(10_000, clock);
	}

	@Override
	protected boolean canCorruptRecords() {
		return false;
	}

	@Override
	protected void corrupt(String key) {
		throw new UnsupportedOperationException("the memory store keeps records, not bytes");
	}

	@Test
	void whenFullThenOldSessionsAreEvictedWithoutError() {
		CaffeineSessionStore small = new CaffeineSessionStore(100, this.clock);
		for (int i = 0; i < 1_000; i++) {
			small.create(newKey(), record(Map.of("a", bytes("1")))).block();
		}
		assertThat(small.count().block()).isLessThanOrEqualTo(100L);
		String key = newKey();
		small.create(key, record(Map.of("a", bytes("1")))).block();
		assertThat(small.load(key).blockOptional()).isPresent();
	}

	/**
	 * Large sessions cannot take the heap: beyond the memory bound the store evicts, as
	 * it does beyond the count.
	 */
	@Test
	void whenLargeSessionsFillTheMemoryBoundThenTheyAreEvicted() {
		long maxBytes = 100 * 1024;
		CaffeineSessionStore small = new CaffeineSessionStore(1_000, maxBytes, this.clock);
		byte[] twentyKilobytes = new byte[20 * 1024];
		for (int i = 0; i < 50; i++) {
			small.create(newKey(), record(Map.of("big", twentyKilobytes))).block();
		}
		long count = small.count().block();
		assertThat(count).isPositive();
		assertThat(count * (twentyKilobytes.length + CaffeineSessionStore.ENTRY_OVERHEAD))
			.isLessThanOrEqualTo(maxBytes);
		String key = newKey();
		small.create(key, record(Map.of("a", bytes("1")))).block();
		assertThat(small.load(key).blockOptional()).isPresent();
	}

	@Test
	void entriesExpireWithTheirRecord() {
		String key = newKey();
		this.store
			.create(key,
					new SessionRecord(this.clock.instant(), this.clock.instant(), Duration.ofMinutes(5), null,
							Map.of("a", bytes("1"))))
			.block();
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(this.store.load(key).blockOptional()).isPresent();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.store.load(key).blockOptional()).isEmpty();
	}

}
