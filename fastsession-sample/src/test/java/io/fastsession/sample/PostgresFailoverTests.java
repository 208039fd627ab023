package io.fastsession.sample;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.fastsession.sample.FailoverLoad.Outcome;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TcpProxy;
import io.fastsession.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away under load, as it does when its node is lost and a standby takes
 * over the address: two application instances, each with its own pool, reach the shared
 * server through a {@link TcpProxy} that this test cuts (every connection dropped, new
 * ones refused) for a few seconds and then restores; mixed load on 150 sessions through
 * both. Every session request is answered 503 within the bound while the database is
 * unreachable, both instances recover by themselves once it is back, and nothing that was
 * acknowledged is lost: a write is acknowledged only after its transaction commits. The
 * timeline and a summary go to {@code target/failover/}.
 */
@NeedsServer
class PostgresFailoverTests {

	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

	/** Two store calls at most per request, plus room for a loaded 2-core machine. */
	private static final Duration ANSWER_BOUND = STORE_TIMEOUT.multipliedBy(2).plusMillis(1500);

	private static final Duration OUTAGE = Duration.ofSeconds(5);

	/**
	 * Once the database is reachable again, the pool replaces its dead connections on the
	 * next requests; the bound leaves room for a connection attempt that was already
	 * waiting (up to the store timeout) and a busy machine.
	 */
	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(8);

	private static final int SESSIONS = 150;

	static final TestDatabases.Isolated postgres = TestDatabases.postgres().isolate();

	private final StoreErrorRecorder storeErrors = new StoreErrorRecorder();

	@AfterAll
	static void dropDatabase() {
		postgres.close();
	}

	@Test
	void theDatabaseIsUnreachableUnderLoadAndNothingAcknowledgedIsLost() throws Exception {
		URI target = URI.create(postgres.url().substring("jdbc:".length()));
		try (TcpProxy proxy = TcpProxy.start(target.getHost(), target.getPort());
				ConfigurableApplicationContext first = start(proxy);
				ConfigurableApplicationContext second = start(proxy)) {
			FailoverLoad load = new FailoverLoad(
					List.of(RedisClusterFailoverTests.uri(first), RedisClusterFailoverTests.uri(second)), SESSIONS);
			long cutAt;
			long restoredAt;
			try (load) {
				load.start(Duration.ofMillis(250));
				Thread.sleep(3000);
				cutAt = load.now();
				proxy.cut();
				Thread.sleep(OUTAGE.toMillis());
				restoredAt = load.now();
				proxy.restore();
				load.awaitRecovery((s) -> true, restoredAt, Duration.ofSeconds(3), RECOVERY_BOUND.plusSeconds(10));
			}
			List<Outcome> outcomes = load.outcomes();
			FailoverSummary summary = new FailoverSummary("postgres", outcomes, cutAt, (s) -> true, load.losses(), 2);
			summary.write(Path.of("target/failover"));
			FailoverLoad.write(Path.of("target/failover/postgres-events.txt"), String.format(Locale.ROOT,
					"connections cut at 0.00s, database reachable again at %.2fs%n", (restoredAt - cutAt) / 1e9));

			assertThat(this.storeErrors.errors()).as("JVM errors in store calls").isEmpty();
			summary.assertEveryAnswerWithin(ANSWER_BOUND);
			assertThat(summary.groupErrors(true)).as("the outage was seen").isPositive();
			for (int i = 0; i < 2; i++) {
				assertThat(summary.recoveryTime(i)).as("instance %d failed requests until", i)
					.isLessThan(OUTAGE.plus(RECOVERY_BOUND));
			}
			assertThat(load.losses()).as("acknowledged writes or sessions lost").isEmpty();
			assertThat(load.verifyEverySession()).isEmpty();
		}
	}

	private ConfigurableApplicationContext start(TcpProxy proxy) {
		return new SpringApplicationBuilder(SampleApplication.class).initializers(this.storeErrors.initializer())
			.run("--server.port=0", "--server.address=127.0.0.1", "--fastsession.provider=postgres",
					"--fastsession.store-timeout=" + STORE_TIMEOUT.toMillis() + "ms",
					"--fastsession.jdbc.url=" + BackendFaultTests.Backend.viaProxy(postgres.url(), proxy.getPort()),
					"--fastsession.jdbc.username=" + postgres.server().user(),
					"--fastsession.jdbc.password=" + postgres.server().password());
	}

}
