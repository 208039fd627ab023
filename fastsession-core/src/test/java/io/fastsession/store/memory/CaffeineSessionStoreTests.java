package io.fastsession.store.memory;

import java.time.Duration;
import java.util.Map;

import io.fastsession.MutableClock;
import io.fastsession.SessionRecord;
import io.fastsession.SessionStore;
import io.fastsession.SessionStoreContractTests;
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
