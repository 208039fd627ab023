package io.fastsession.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fastsession.Session;
import io.fastsession.SessionCommit;
import io.fastsession.SessionManager;
import io.fastsession.store.memory.CaffeineSessionStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The session manager's whole per-request work on the memory store: what a request with a
 * session cookie costs beyond the web framework.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ManagerBenchmark {

	private SessionManager manager;

	private List<String> client;

	@Setup
	public void createSession() {
		this.manager = SessionManager.builder(new CaffeineSessionStore()).build();
		Session session = this.manager.createSession();
		session.set("count", 1);
		this.client = List.of(this.manager.commit(session).block().getClientValue());
	}

	/** GET /api/counter with a cookie: load, read, commit (nothing written). */
	@Benchmark
	public Integer readRequest() {
		Session session = this.manager.load(this.client).block();
		Integer count = session.get("count", Integer.class);
		this.manager.commit(session).block();
		return count;
	}

	/** POST /api/counter with a cookie: load, read, write, commit (a delta). */
	@Benchmark
	public SessionCommit writeRequest() {
		Session session = this.manager.load(this.client).block();
		session.set("count", session.getOrDefault("count", Integer.class, 0) + 1);
		return this.manager.commit(session).block();
	}

	/** GET /api/counter without a cookie: a new session that is never stored. */
	@Benchmark
	public SessionCommit anonymousRequest() {
		Session session = this.manager.load(List.of()).block();
		session.get("count", Integer.class);
		return this.manager.commit(session).block();
	}

}
