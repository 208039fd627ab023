package io.fastsession.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.store.memory.CaffeineSessionStore;

import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.InMemoryWebSessionStore;

/**
 * Heap bytes per session with many sessions holding one small attribute: fastsession's
 * memory provider next to WebFlux's in-memory {@code WebSession} store, in one JVM run.
 * Prints one line per store: {@code name sessions bytes-per-session}.
 * <p>
 * Run:
 * {@code java -cp benchmarks/jmh/target/benchmarks.jar io.fastsession.benchmarks.MemoryFootprint 100000}
 */
public final class MemoryFootprint {

	private MemoryFootprint() {
	}

	public static void main(String[] args) {
		int sessions = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		// A first, discarded pass of each store: the heap of a young JVM has not settled,
		// and the first measurement in it was off by about 5 MB in either direction from
		// one JVM to the next (fastsession's store, measured first, gave 277 or 331 bytes
		// per session at 100,000 sessions).
		fastsession(sessions / 10);
		webflux(sessions / 10);
		System.out.println(String.format(Locale.ROOT, "fastsession-memory %d %.0f", sessions, fastsession(sessions)));
		System.out.println(String.format(Locale.ROOT, "webflux-in-memory %d %.0f", sessions, webflux(sessions)));
	}

	private static double fastsession(int count) {
		long before = usedHeap();
		CaffeineSessionStore store = new CaffeineSessionStore(count * 2L, java.time.Clock.systemUTC());
		SessionManager manager = SessionManager.builder(store).build();
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			Session session = manager.createSession();
			session.set("count", i);
			ids.add(manager.commit(session).block().getClientValue());
		}
		ids.clear();
		long after = usedHeap();
		if (store.count().block() != count) {
			throw new IllegalStateException("expected " + count + " sessions");
		}
		return (after - before) / (double) count;
	}

	private static double webflux(int count) {
		long before = usedHeap();
		InMemoryWebSessionStore store = new InMemoryWebSessionStore();
		store.setMaxSessions(count * 2);
		for (int i = 0; i < count; i++) {
			int value = i;
			WebSession session = store.createWebSession().block();
			session.getAttributes().put("count", value);
			session.save().block(Duration.ofSeconds(1));
		}
		long after = usedHeap();
		if (store.getSessions().size() != count) {
			throw new IllegalStateException("expected " + count + " sessions");
		}
		return (after - before) / (double) count;
	}

	private static long usedHeap() {
		for (int i = 0; i < 4; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
