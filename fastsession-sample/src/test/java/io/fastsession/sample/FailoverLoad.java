package io.fastsession.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpMethod;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Mixed load on many sessions through several application instances, for the failover
 * tests: closed-loop workers, each owning a slice of the sessions (so each session sees
 * its requests in order), alternate between the instances with {@code GET} and
 * {@code POST /api/counter} and the odd new visitor. Every request is recorded with its
 * timing and answer, and every answer is checked against what was acknowledged before: a
 * {@code POST} answered 200 acknowledges its count, and any later answer below an
 * acknowledged count is a lost write (a session answered with a new cookie is a lost
 * session).
 */
final class FailoverLoad implements AutoCloseable {

	private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");

	private static final Pattern COOKIE = Pattern.compile("SESSION=([^;]+)");

	private static final Pattern EXPIRED = Pattern.compile("^SESSION=;.*Max-Age=0", Pattern.CASE_INSENSITIVE);

	/** A request that takes this long is a hang, whatever the test's own bound. */
	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration RAMP_UP = Duration.ofMillis(1500);

	private final List<URI> instances;

	private final String[] sessions;

	private final int[] acknowledged;

	private final long[] acknowledgedAt;

	/** Sessions found gone by a read, until a write gives the user a new one. */
	private final boolean[] gone;

	private final long origin = System.nanoTime();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/**
	 * The load's own HTTP client, on event loops of its own (not the applications'), with
	 * a connection per virtual user and instance.
	 */
	private final LoopResources loops = LoopResources.create("failover-load", 2, true);

	private final ConnectionProvider connections = ConnectionProvider.builder("failover-load")
		.maxConnections(2048)
		.pendingAcquireMaxCount(-1)
		.build();

	private final reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient
		.create(this.connections)
		.runOn(this.loops)
		.responseTimeout(CLIENT_TIMEOUT);

	private volatile Duration thinkTime = Duration.ZERO;

	private final AtomicBoolean running = new AtomicBoolean();

	private final Queue<Outcome> recorded = new ConcurrentLinkedQueue<>();

	private final List<Loss> losses = Collections.synchronizedList(new ArrayList<>());

	/** The test's own party, and one per virtual user while it has a request out. */
	private final Phaser inFlight = new Phaser(1);

	/**
	 * Create sessions through the instances, in turn, each with an acknowledged count of
	 * 2.
	 * @param instances the base URI of each application instance
	 * @param count how many sessions
	 */
	FailoverLoad(List<URI> instances, int count) {
		this.instances = List.copyOf(instances);
		this.sessions = new String[count];
		this.acknowledged = new int[count];
		this.acknowledgedAt = new long[count];
		this.gone = new boolean[count];
		for (int i = 0; i < count; i++) {
			URI instance = this.instances.get(i % this.instances.size());
			HttpResponse<String> first = send(instance, "POST", null);
			String session = cookie(first).orElseThrow(() -> new IllegalStateException("no session: " + first));
			HttpResponse<String> second = send(instance, "POST", session);
			if (second.statusCode() != 200 || count(second) != 2) {
				throw new IllegalStateException("session not written: " + second + " " + second.body());
			}
			this.sessions[i] = session;
			this.acknowledged[i] = 2;
			this.acknowledgedAt[i] = now();
		}
	}

	int size() {
		return this.sessions.length;
	}

	String session(int index) {
		return this.sessions[index];
	}

	/**
	 * Nanoseconds since this load was created: the time base of every outcome.
	 * @return the current time on that base
	 */
	long now() {
		return System.nanoTime() - this.origin;
	}

	/**
	 * Start one virtual user per session: each sends its next request as soon as the
	 * previous one is answered, to the instances in turn, and now and then a new visitor
	 * comes along first. The requests are asynchronous, so a user waiting on a failed
	 * node holds no thread and never slows the others.
	 */
	void start(Duration thinkTime) {
		this.thinkTime = thinkTime;
		this.running.set(true);
		for (int s = 0; s < this.sessions.length; s++) {
			this.inFlight.register();
			int session = s;
			// Users arrive over a second or so rather than all at once: a burst of new
			// connections would measure connection set-up, not the store.
			CompletableFuture.delayedExecutor(RAMP_UP.toMillis() * s / this.sessions.length, TimeUnit.MILLISECONDS)
				.execute(() -> next(session, session));
		}
	}

	private void next(int session, int turn) {
		if (!this.running.get()) {
			this.inFlight.arriveAndDeregister();
			return;
		}
		int instance = turn % this.instances.size();
		double dice = ThreadLocalRandom.current().nextDouble();
		CompletableFuture<Void> visitor = (dice < 0.05) ? request(instance, -1, true)
				: CompletableFuture.completedFuture(null);
		visitor.thenCompose((ignored) -> request(instance, session, dice < 0.5))
			.whenCompleteAsync((ignored, ex) -> next(session, turn + 1),
					CompletableFuture.delayedExecutor(this.thinkTime.toMillis(), TimeUnit.MILLISECONDS));
	}

	private CompletableFuture<Void> request(int instance, int session, boolean post) {
		long start = now();
		String cookie = (session >= 0) ? this.sessions[session] : null;
		return this.client.request(post ? HttpMethod.POST : HttpMethod.GET)
			.uri(this.instances.get(instance).resolve("/api/counter").toString())
			.send((request, outbound) -> {
				if (cookie != null) {
					request.header("Cookie", "SESSION=" + cookie);
				}
				return outbound;
			})
			.responseSingle((response, body) -> body.asString()
				.defaultIfEmpty("")
				.map((text) -> new Answer(response.status().code(), text,
						response.responseHeaders().getAll("Set-Cookie"))))
			.toFuture()
			.handle((answer, ex) -> {
				long end = now();
				if (ex != null) {
					this.recorded.add(new Outcome(start, end, instance, session, post, -1, -1, ex.toString()));
					return null;
				}
				int count = (answer.status() == 200) ? count(answer.body()) : -1;
				if (session >= 0 && answer.status() == 200) {
					check(session, post, count, cookie(answer.setCookies()), expired(answer.setCookies()), end);
				}
				this.recorded.add(new Outcome(start, end, instance, session, post, answer.status(), count, null));
				return null;
			});
	}

	/** Count a session found gone as lost, once until it has a session again. */
	private void sessionLost(int session, int count, long at) {
		if (!this.gone[session]) {
			this.losses
				.add(new Loss(session, this.acknowledged[session], this.acknowledgedAt[session], count, at, true));
		}
	}

	/**
	 * Hold an answer to what was acknowledged for its session before: only the worker
	 * that owns the session calls this, in request order.
	 */
	private void check(int session, boolean post, int count, Optional<String> newCookie, boolean expired, long at) {
		int acknowledged = this.acknowledged[session];
		if (expired) {
			// The session was gone when this request wrote: the write was dropped and the
			// cookie expired, so the user carries on without one, as a browser does.
			sessionLost(session, count, at);
			this.gone[session] = true;
			this.sessions[session] = null;
			return;
		}
		if (newCookie.isPresent()) {
			// A write on a session that is gone: the application started a new one.
			sessionLost(session, count, at);
			this.gone[session] = false;
			this.sessions[session] = newCookie.get();
			this.acknowledged[session] = count;
			this.acknowledgedAt[session] = at;
			return;
		}
		if (!post && count == 0 && acknowledged > 0) {
			// A read of a session that is gone: an empty session, no cookie (reads create
			// nothing).
			sessionLost(session, count, at);
			this.gone[session] = true;
			return;
		}
		if (count < acknowledged + (post ? 1 : 0)) {
			this.losses.add(new Loss(session, acknowledged, this.acknowledgedAt[session], count, at, false));
		}
		if (post || count > acknowledged) {
			this.acknowledged[session] = count;
			this.acknowledgedAt[session] = at;
		}
	}

	/**
	 * Stop the users and wait for their last requests.
	 */
	@Override
	public void close() throws Exception {
		if (this.running.compareAndSet(true, false)) {
			this.inFlight.awaitAdvanceInterruptibly(this.inFlight.arrive(), CLIENT_TIMEOUT.toSeconds() * 2,
					TimeUnit.SECONDS);
		}
		this.connections.disposeLater().block(Duration.ofSeconds(10));
		this.loops.disposeLater().block(Duration.ofSeconds(10));
	}

	/**
	 * Every request so far, in no particular order; also while the load runs.
	 * @return a copy of the outcomes
	 */
	List<Outcome> outcomes() {
		return new ArrayList<>(this.recorded);
	}

	/**
	 * Answers below an acknowledged count, and sessions answered with a new cookie.
	 * @return the losses seen so far
	 */
	List<Loss> losses() {
		synchronized (this.losses) {
			return List.copyOf(this.losses);
		}
	}

	/**
	 * Read every session through every instance after the load: each must still exist and
	 * hold at least its acknowledged count (sessions already found gone excepted).
	 * @return descriptions of the sessions that do not
	 */
	List<String> verifyEverySession() {
		return verifyEverySession((session, cookie) -> false);
	}

	/**
	 * Read every session the load still holds, as {@link #verifyEverySession()}, except
	 * those the scenario expects to have lost since the load last saw them.
	 * @param expectedLost whether a session (by index and current cookie) is expected to
	 * be gone
	 * @return descriptions of the sessions that do not hold what was acknowledged
	 */
	List<String> verifyEverySession(java.util.function.BiPredicate<Integer, String> expectedLost) {
		List<String> problems = new ArrayList<>();
		for (int s = 0; s < this.sessions.length; s++) {
			if (this.gone[s] || expectedLost.test(s, this.sessions[s])) {
				continue; // already counted among the losses, or lost as the scenario
							// expects
			}
			for (int i = 0; i < this.instances.size(); i++) {
				HttpResponse<String> response = send(this.instances.get(i), "GET", this.sessions[s]);
				if (response.statusCode() != 200 || cookie(response).isPresent()
						|| count(response) < this.acknowledged[s]) {
					problems.add("session " + s + " on instance " + i + ": " + response.statusCode() + " "
							+ response.body() + ", acknowledged " + this.acknowledged[s]);
				}
			}
		}
		return problems;
	}

	/**
	 * The completion time of the last answer other than 200 to a group's sessions on an
	 * instance, among the requests that completed after a time.
	 * @param outcomes the requests
	 * @param instance the instance
	 * @param group which sessions
	 * @param since time on this load's base
	 * @return that time, {@code -1} when every such answer was 200; empty while no
	 * request of the group completed after {@code since}
	 */
	static Optional<Long> lastFailure(List<Outcome> outcomes, int instance, IntPredicate group, long since) {
		long last = -1;
		boolean any = false;
		for (Outcome outcome : outcomes) {
			if (outcome.instance() != instance || outcome.session() < 0 || !group.test(outcome.session())
					|| outcome.end() < since) {
				continue;
			}
			any = true;
			if (outcome.status() != 200) {
				last = Math.max(last, outcome.end());
			}
		}
		return any ? Optional.of(last) : Optional.empty();
	}

	/**
	 * Wait until, on every instance, the group's sessions have been answered 200 for a
	 * while after their last failure since an event.
	 * @param group which sessions
	 * @param event the time of the event on this load's base
	 * @param quiet how long the answers must have been 200
	 * @param atMost how long to wait
	 */
	void awaitRecovery(IntPredicate group, long event, Duration quiet, Duration atMost) throws InterruptedException {
		long deadline = now() + atMost.toNanos();
		while (now() < deadline) {
			Thread.sleep(250);
			List<Outcome> outcomes = outcomes();
			boolean recovered = true;
			for (int i = 0; i < this.instances.size(); i++) {
				Optional<Long> last = lastFailure(outcomes, i, group, event);
				recovered &= last.isPresent() && now() - Math.max(last.get(), event) > quiet.toNanos()
						&& lastFailure(outcomes, i, group, Math.max(last.get(), event) + 1).isPresent();
			}
			if (recovered) {
				return;
			}
		}
	}

	/**
	 * Write every request as CSV, times in seconds relative to an event, for anyone who
	 * wants to look closer than the timeline.
	 * @param outcomes the requests
	 * @param event the time of the event on this load's base
	 * @param file where to write
	 */
	static void writeOutcomes(List<Outcome> outcomes, long event, Path file) {
		StringBuilder csv = new StringBuilder("start,end,instance,session,post,status,count\n");
		for (Outcome o : outcomes) {
			csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%d,%d,%b,%d,%d%n", (o.start() - event) / 1e9,
					(o.end() - event) / 1e9, o.instance(), o.session(), o.post(), o.status(), o.count()));
		}
		write(file, csv.toString());
	}

	static void write(Path file, String text) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Write the timeline of a run: per bucket, answered requests per second and errors
	 * (anything but 200) per second, by completion time relative to an event.
	 * @param outcomes the requests
	 * @param event the time of the event (the failure) on this load's base
	 * @param bucket the bucket width
	 * @param file where to write, as whitespace-separated columns for gnuplot
	 */
	static void writeTimeline(List<Outcome> outcomes, long event, Duration bucket, Path file) {
		long width = bucket.toNanos();
		long first = outcomes.stream().mapToLong(Outcome::end).min().orElse(event);
		long last = outcomes.stream().mapToLong(Outcome::end).max().orElse(event);
		long from = Math.floorDiv(first - event, width);
		long to = Math.floorDiv(last - event, width);
		long[] ok = new long[(int) (to - from + 1)];
		long[] errors = new long[ok.length];
		for (Outcome outcome : outcomes) {
			int index = (int) (Math.floorDiv(outcome.end() - event, width) - from);
			if (outcome.status() == 200) {
				ok[index]++;
			}
			else {
				errors[index]++;
			}
		}
		StringBuilder text = new StringBuilder("# seconds_since_failure ok_per_second errors_per_second\n");
		double perSecond = 1e9 / width;
		for (int i = 0; i < ok.length; i++) {
			text.append(String.format(Locale.ROOT, "%.2f %.0f %.0f%n", (from + i) * width / 1e9, ok[i] * perSecond,
					errors[i] * perSecond));
		}
		write(file, text.toString());
	}

	private static HttpRequest request(URI instance, String method, String cookie) {
		HttpRequest.Builder request = HttpRequest.newBuilder(instance.resolve("/api/counter"))
			.timeout(CLIENT_TIMEOUT)
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (cookie != null) {
			request.header("Cookie", "SESSION=" + cookie);
		}
		return request.build();
	}

	private HttpResponse<String> send(URI instance, String method, String cookie) {
		try {
			return this.http.send(request(instance, method, cookie), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int count(HttpResponse<String> response) {
		return count(response.body());
	}

	private static int count(String body) {
		Matcher matcher = COUNT.matcher(body);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
	}

	private static Optional<String> cookie(HttpResponse<String> response) {
		return cookie(response.headers().allValues("Set-Cookie"));
	}

	private static Optional<String> cookie(List<String> setCookies) {
		return setCookies.stream()
			.map(COOKIE::matcher)
			.filter(Matcher::find)
			.map((matcher) -> matcher.group(1))
			.findFirst();
	}

	/** Whether an answer expires the session cookie (a session that was gone). */
	private static boolean expired(List<String> setCookies) {
		return setCookies.stream().anyMatch((header) -> EXPIRED.matcher(header).find());
	}

	private record Answer(int status, String body, List<String> setCookies) {

	}

	/**
	 * One request.
	 *
	 * @param start when it was sent, on the load's time base
	 * @param end when its answer (or failure) came
	 * @param instance which instance
	 * @param session which session, {@code -1} for a new visitor
	 * @param post a write, or a read
	 * @param status the HTTP status, {@code -1} when none came
	 * @param count the counter in the answer, {@code -1} without one
	 * @param error what went wrong without a status
	 */
	record Outcome(long start, long end, int instance, int session, boolean post, int status, int count, String error) {

		Duration duration() {
			return Duration.ofNanos(this.end - this.start);
		}

	}

	/**
	 * An acknowledged write (or a whole session) that a later answer did not show.
	 *
	 * @param session which session
	 * @param acknowledged the count acknowledged before
	 * @param acknowledgedAt when that count was acknowledged
	 * @param seen the count a later answer gave
	 * @param seenAt when
	 * @param sessionLost whether the session itself was gone (answered with a new cookie)
	 */
	record Loss(int session, int acknowledged, long acknowledgedAt, int seen, long seenAt, boolean sessionLost) {

	}

}
