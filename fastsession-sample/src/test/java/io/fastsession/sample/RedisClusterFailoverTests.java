package io.fastsession.sample;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fastsession.SessionManager;
import io.fastsession.id.SessionKeys;
import io.fastsession.sample.FailoverLoad.Loss;
import io.fastsession.sample.FailoverLoad.Outcome;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.RedisClusterProcess;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis Cluster master dies under load. A cluster of three masters and three replicas
 * owned by this test (never the shared one), two application instances sharing it with
 * the auto-configuration's Lettuce settings (nothing about the topology set by the test),
 * mixed load on 150 sessions through both, and one master killed with SIGKILL in the
 * middle. Then:
 * <ul>
 * <li>every request is answered, 200 or 503, within the bound: a request makes at most
 * two store calls, each bounded by the store timeout;</li>
 * <li>sessions on the other masters' slots are answered 200 throughout;</li>
 * <li>both instances recover by themselves once the replica is promoted (the test watches
 * the cluster for it), within one topology refresh period and some margin of the
 * promotion;</li>
 * <li>every session is still there afterwards, on both instances, with every write
 * acknowledged before the failure except those acknowledged in the replication window
 * just before the kill (counted and reported).</li>
 * </ul>
 * The cluster runs with {@code cluster-require-full-coverage no}, as
 * docs/providers/redis.md recommends: with Redis's default, every master refuses every
 * command between the failure's detection and the promotion, and all sessions get 503 for
 * about a second. The timeline and a summary go to {@code target/failover/}.
 */
@NeedsServer
class RedisClusterFailoverTests {

	/**
	 * Short, so that the failover takes seconds; long enough not to fire on a busy CI
	 * machine.
	 */
	private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

	/** Two store calls at most per request, plus room for a loaded 2-core machine. */
	private static final Duration ANSWER_BOUND = STORE_TIMEOUT.multipliedBy(2).plusMillis(1500);

	/**
	 * How long after the promotion of the replica an instance may still fail requests:
	 * Lettuce's next topology refresh (at most the auto-configured 5 s period; adaptive
	 * triggers usually come sooner), plus margin for a loaded machine.
	 */
	private static final Duration CLIENT_RECOVERY_BOUND = Duration.ofSeconds(8);

	/**
	 * How long the cluster may take to promote the replica: failure detection (the node
	 * timeout) and the election take a few seconds; on a loaded 2-core CI machine an
	 * election has taken 20 s (the replica retries after twice the node timeout when it
	 * misses a majority of votes). That time is Redis's, not the client's: the recovery
	 * bound counts from the promotion.
	 */
	private static final Duration PROMOTION_BOUND = Duration.ofSeconds(60);

	/**
	 * Writes acknowledged this long before the kill may be lost: Redis replicates
	 * asynchronously, on loopback within milliseconds, generously bounded here.
	 */
	private static final Duration REPLICATION_WINDOW = Duration.ofSeconds(1);

	private static final int SESSIONS = 150;

	private static final String PREFIX = "failover-test:";

	private final StoreErrorRecorder storeErrors = new StoreErrorRecorder();

	@Test
	void aMasterFailsOverUnderLoadAndBothInstancesRecoverByThemselves() throws Exception {
		try (RedisClusterProcess cluster = RedisClusterProcess.start(NODE_TIMEOUT, "--cluster-require-full-coverage",
				"no");
				ConfigurableApplicationContext first = start(cluster);
				ConfigurableApplicationContext second = start(cluster)) {
			FailoverLoad load = new FailoverLoad(List.of(uri(first), uri(second)), SESSIONS);
			Map<Integer, List<int[]>> masters = cluster.masters();
			int victim = masters.keySet().iterator().next();
			boolean[] lost = onSlots(load, first.getBean(SessionManager.class), masters.get(victim));
			long killedAt;
			long promotedAt;
			try (load) {
				load.start(Duration.ofMillis(Long.getLong("failover.think-ms", 250)));
				Thread.sleep(Long.getLong("failover.before-ms", 4000));
				killedAt = load.now();
				cluster.kill(victim);
				promotedAt = awaitPromotion(cluster, victim, masters.get(victim).get(0)[0], load);
				load.awaitRecovery((s) -> lost[s], killedAt, Duration.ofSeconds(3),
						Duration.ofNanos(promotedAt - killedAt).plus(CLIENT_RECOVERY_BOUND).plusSeconds(5));
				Thread.sleep(Long.getLong("failover.after-ms", 0));
			}
			finally {
				cluster.copyLogsTo(Path.of("target/failover/redis-cluster-logs"));
			}
			List<Outcome> outcomes = load.outcomes();
			FailoverSummary summary = new FailoverSummary("redis-cluster", outcomes, killedAt, (s) -> lost[s],
					load.losses(), 2);
			summary.write(Path.of("target/failover"));
			FailoverLoad.writeOutcomes(outcomes, killedAt, Path.of("target/failover/redis-cluster-requests.csv"));

			assertThat(this.storeErrors.errors()).as("JVM errors in store calls").isEmpty();
			summary.assertEveryAnswerWithin(ANSWER_BOUND);
			summary.assertGroupAlwaysOk(false);
			Duration promotion = Duration.ofNanos(promotedAt - killedAt);
			for (int i = 0; i < 2; i++) {
				assertThat(summary.recoveryTime(i))
					.as("instance %d recovered after (the replica was promoted after %s)", i, promotion)
					.isLessThan(promotion.plus(CLIENT_RECOVERY_BOUND));
			}
			assertThat(summary.groupErrors(true)).as("sessions on the lost slots saw the failure").isPositive();
			for (Loss loss : load.losses()) {
				assertThat(loss.sessionLost()).as("whole session lost: %s", loss).isFalse();
				assertThat(lost[loss.session()]).as("lost write on a surviving master: %s", loss).isTrue();
				assertThat(loss.acknowledgedAt()).as("lost write acknowledged before the replication window: %s", loss)
					.isGreaterThan(killedAt - REPLICATION_WINDOW.toNanos());
			}
			assertThat(load.verifyEverySession()).isEmpty();
		}
	}

	/**
	 * Wait until a live node reports another master serving the victim's slot: the
	 * replica's promotion. Returns when that was seen, on the load's clock.
	 */
	private static long awaitPromotion(RedisClusterProcess cluster, int victim, int slot, FailoverLoad load)
			throws Exception {
		long deadline = load.now() + PROMOTION_BOUND.toNanos();
		while (load.now() < deadline) {
			for (Map.Entry<Integer, List<int[]>> master : cluster.masters().entrySet()) {
				if (master.getKey() != victim
						&& master.getValue().stream().anyMatch((range) -> slot >= range[0] && slot <= range[1])) {
					return load.now();
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError("The cluster did not promote the replica of " + victim + " within " + PROMOTION_BOUND
				+ "; the nodes' logs are in target/failover/redis-cluster-logs\n" + cluster.describe());
	}

	private static boolean[] onSlots(FailoverLoad load, SessionManager manager, List<int[]> ranges) {
		boolean[] on = new boolean[load.size()];
		for (int s = 0; s < load.size(); s++) {
			int slot = SlotHash.getSlot(PREFIX + SessionKeys.hash(manager.decodeId(load.session(s))));
			on[s] = ranges.stream().anyMatch((range) -> slot >= range[0] && slot <= range[1]);
		}
		return on;
	}

	private ConfigurableApplicationContext start(RedisClusterProcess cluster) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--fastsession.provider=redis", "--fastsession.store-timeout=" + STORE_TIMEOUT.toMillis() + "ms",
				"--fastsession.redis.key-prefix=" + PREFIX,
				"--spring.data.redis.cluster.nodes=" + String.join(",", cluster.getNodes())));
		return new SpringApplicationBuilder(SampleApplication.class).initializers(this.storeErrors.initializer())
			.run(arguments.toArray(String[]::new));
	}

	static URI uri(ConfigurableApplicationContext app) {
		return URI.create(String.format(Locale.ROOT, "http://127.0.0.1:%s",
				app.getEnvironment().getProperty("local.server.port")));
	}

}
