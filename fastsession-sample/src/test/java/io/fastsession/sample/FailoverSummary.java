package io.fastsession.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

import io.fastsession.sample.FailoverLoad.Loss;
import io.fastsession.sample.FailoverLoad.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failover run measured: the requests around the failure, split between the
 * sessions the failure touches (the group) and the others, with the assertions the
 * failover tests share. {@link #write} leaves a timeline for gnuplot and a summary in
 * words, which {@code benchmarks/failover.sh} turns into the failover section of
 * docs/benchmarks.md.
 */
final class FailoverSummary {

	private final String name;

	private final List<Outcome> outcomes;

	private final long event;

	private final IntPredicate group;

	private final List<Loss> losses;

	private final int instances;

	/**
	 * Summarize a run.
	 * @param name the scenario, used in file names
	 * @param outcomes every request
	 * @param event when the failure happened, on the load's time base
	 * @param group the sessions the failure touches
	 * @param losses what the load found lost
	 * @param instances how many application instances
	 */
	FailoverSummary(String name, List<Outcome> outcomes, long event, IntPredicate group, List<Loss> losses,
			int instances) {
		this.name = name;
		this.outcomes = outcomes;
		this.event = event;
		this.group = group;
		this.losses = losses;
		this.instances = instances;
	}

	private boolean inGroup(Outcome outcome) {
		return outcome.session() >= 0 && this.group.test(outcome.session());
	}

	private boolean outsideGroup(Outcome outcome) {
		return outcome.session() >= 0 && !this.group.test(outcome.session());
	}

	/**
	 * Answers other than 200 to the group's sessions (or to the others).
	 * @param inGroup which side
	 * @return how many
	 */
	long groupErrors(boolean inGroup) {
		return this.outcomes.stream()
			.filter((o) -> inGroup ? inGroup(o) : outsideGroup(o))
			.filter((o) -> o.status() != 200)
			.count();
	}

	/**
	 * How long after the failure an instance last failed a request of the group.
	 * @param instance the instance
	 * @return that time, zero if it never failed one
	 */
	Duration recoveryTime(int instance) {
		long last = FailoverLoad.lastFailure(this.outcomes, instance, this.group, this.event).orElse(-1L);
		return (last < 0) ? Duration.ZERO : Duration.ofNanos(last - this.event);
	}

	/**
	 * When an instance first failed a request of the group after the failure.
	 * @param instance the instance
	 * @return that time, {@code null} if never
	 */
	Duration firstFailure(int instance) {
		return this.outcomes.stream()
			.filter((o) -> o.instance() == instance && inGroup(o) && o.status() != 200 && o.end() >= this.event)
			.map((o) -> Duration.ofNanos(o.end() - this.event))
			.min(Comparator.naturalOrder())
			.orElse(null);
	}

	Duration maxDuration() {
		return this.outcomes.stream().map(Outcome::duration).max(Comparator.naturalOrder()).orElse(Duration.ZERO);
	}

	/**
	 * Every request got an HTTP answer, 200 or 503, within the bound.
	 * @param bound the longest a request may take
	 */
	void assertEveryAnswerWithin(Duration bound) {
		for (Outcome outcome : this.outcomes) {
			assertThat(outcome.status()).as("answer to %s", outcome).isIn(200, 503);
		}
		Outcome slowest = this.outcomes.stream().max(Comparator.comparing(Outcome::duration)).orElseThrow();
		assertThat(slowest.duration())
			.as("slowest answer: %s, %+.3fs after the failure", slowest, (slowest.start() - this.event) / 1e9)
			.isLessThan(bound);
	}

	/**
	 * Every request on the group's sessions (or on the others) was answered 200.
	 * @param inGroup which side
	 */
	void assertGroupAlwaysOk(boolean inGroup) {
		List<String> failed = this.outcomes.stream()
			.filter((o) -> inGroup ? inGroup(o) : outsideGroup(o))
			.filter((o) -> o.status() != 200)
			.map((o) -> String.format(Locale.ROOT, "%s at %+.3fs", o, (o.end() - this.event) / 1e9))
			.toList();
		assertThat(failed).as("failed requests on sessions %s the failure's reach", inGroup ? "within" : "outside")
			.isEmpty();
	}

	/**
	 * Write the timeline ({@code <name>.dat}) and the summary ({@code <name>.txt}).
	 * @param directory where
	 */
	void write(Path directory) {
		FailoverLoad.writeTimeline(this.outcomes, this.event, Duration.ofMillis(500),
				directory.resolve(this.name + ".dat"));
		FailoverLoad.write(directory.resolve(this.name + ".txt"), text());
	}

	/**
	 * The run in a few lines: {@code key: value}, read by benchmarks/failover.py.
	 * @return the summary
	 */
	String text() {
		StringBuilder text = new StringBuilder();
		long first = this.outcomes.stream().mapToLong(Outcome::end).min().orElse(this.event);
		long last = this.outcomes.stream().mapToLong(Outcome::end).max().orElse(this.event);
		line(text, "scenario", this.name);
		line(text, "requests", this.outcomes.size());
		line(text, "seconds", String.format(Locale.ROOT, "%.1f", (last - first) / 1e9));
		line(text, "sessions in reach",
				this.outcomes.stream().filter(this::inGroup).mapToInt(Outcome::session).distinct().count());
		line(text, "sessions outside",
				this.outcomes.stream().filter(this::outsideGroup).mapToInt(Outcome::session).distinct().count());
		line(text, "errors in reach", groupErrors(true));
		line(text, "errors outside", groupErrors(false));
		line(text, "errors new visitors",
				this.outcomes.stream().filter((o) -> o.session() < 0 && o.status() != 200).count());
		line(text, "slowest answer ms", maxDuration().toMillis());
		for (int i = 0; i < this.instances; i++) {
			Duration firstFailure = firstFailure(i);
			line(text, "instance " + i + " first error s", (firstFailure != null) ? seconds(firstFailure) : "none");
			line(text, "instance " + i + " last error s", seconds(recoveryTime(i)));
		}
		line(text, "writes lost", this.losses.stream().filter((l) -> !l.sessionLost()).count());
		line(text, "sessions lost", this.losses.stream().filter(Loss::sessionLost).count());
		line(text, "sessions lost (distinct)",
				this.losses.stream().filter(Loss::sessionLost).mapToInt(Loss::session).distinct().count());
		for (Loss loss : this.losses) {
			text.append(String.format(Locale.ROOT,
					"loss: session %d, %s, acknowledged %d at %+.3fs, then seen %d at %+.3fs%n", loss.session(),
					loss.sessionLost() ? "session gone" : "write lost", loss.acknowledged(),
					(loss.acknowledgedAt() - this.event) / 1e9, loss.seen(), (loss.seenAt() - this.event) / 1e9));
		}
		return text.toString();
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.2f", duration.toNanos() / 1e9);
	}

	private static void line(StringBuilder text, String key, Object value) {
		text.append(key).append(": ").append(value).append('\n');
	}

}
