package io.fastsession.benchmarks;

import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.fastsession.benchmarks.counter.CounterControllers;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.reactive.GenericReactiveWebApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * A whole exchange of the load benchmark's counter API, through Spring Boot's
 * {@link HttpHandler} (filters, dispatch, argument resolution, the session library, the
 * JSON body, Boot's observation), in process: no network, no HTTP parsing, no other
 * process on the CPU. What the load benchmark cannot resolve on a shared machine, a few
 * percent between two applications, this measures per exchange, with the allocation per
 * exchange from {@code -prof gc}.
 * <p>
 * {@code mode} is the counter's variant ({@link CounterControllers}): {@code none-arg},
 * the ceiling; {@code webflux}, WebFlux's in-memory {@code WebSession};
 * {@code fastsession} on its memory store. As in the load benchmark, 3000 sessions exist
 * and each exchange takes a random one. {@code commitAction} adds a commit action to
 * every response on every side, as an application with Spring Security has.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m", "-XX:+UseParallelGC" })
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExchangeBenchmark {

	private static final int SESSIONS = 3000;

	@Param({ "none-arg", "webflux", "fastsession" })
	public String mode;

	/**
	 * Whether every response gets a commit action that does nothing, as Spring Security
	 * gives every response one ({@code -p commitAction=true}; see
	 * {@code CommitActionFilter}).
	 */
	@Param({ "false" })
	public boolean commitAction;

	private static final URI COUNTER = URI.create("http://localhost/api/counter");

	private ConfigurableApplicationContext context;

	private HttpHandler handler;

	private String[] cookies;

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(CounterControllers.class)
	static class CounterApplication {

	}

	@Setup
	public void start() {
		String exclude = switch (this.mode) {
			case "fastsession" -> "";
			default -> "io.fastsession.autoconfigure.FastSessionAutoConfiguration,"
					+ "io.fastsession.autoconfigure.actuate.FastSessionActuatorAutoConfiguration";
		};
		this.context = new SpringApplicationBuilder(CounterApplication.class).web(WebApplicationType.REACTIVE)
			.contextFactory(ApplicationContextFactory.ofContextClass(GenericReactiveWebApplicationContext.class))
			.properties("bench.mode=" + this.mode, "bench.commit-action=" + this.commitAction,
					"spring.autoconfigure.exclude=" + exclude, "spring.main.banner-mode=off", "logging.level.root=warn")
			.run();
		this.handler = this.context.getBean(HttpHandler.class);
		this.cookies = new String[SESSIONS];
		for (int i = 0; i < SESSIONS; i++) {
			String setCookie = exchange(HttpMethod.POST, null, false).setCookie();
			this.cookies[i] = (setCookie != null) ? setCookie.substring(0, setCookie.indexOf(';'))
					: "SESSION=no-session-" + i;
		}
		String body = exchange(HttpMethod.GET, this.cookies[0], true).body();
		String expected = this.mode.equals("none-arg") ? "{\"count\":0}" : "{\"count\":1}";
		if (!expected.equals(body)) {
			throw new IllegalStateException(this.mode + ": a read answered " + body + ", not " + expected);
		}
	}

	@TearDown
	public void stop() {
		this.context.close();
	}

	/** {@code GET /api/counter} with a session cookie. */
	@Benchmark
	public InProcessResponse read() {
		return exchange(HttpMethod.GET, randomCookie(), false);
	}

	/** {@code POST /api/counter} with a session cookie. */
	@Benchmark
	public InProcessResponse write() {
		return exchange(HttpMethod.POST, randomCookie(), false);
	}

	/** {@code GET /api/counter} without a cookie: a new visitor. */
	@Benchmark
	public InProcessResponse anonymous() {
		return exchange(HttpMethod.GET, null, false);
	}

	private String randomCookie() {
		return this.cookies[ThreadLocalRandom.current().nextInt(this.cookies.length)];
	}

	private InProcessResponse exchange(HttpMethod method, @Nullable String cookie, boolean keepBody) {
		InProcessResponse response = new InProcessResponse(keepBody);
		this.handler.handle(new InProcessRequest(method, COUNTER, cookie), response).block();
		// No status set is 200: the handler answered normally.
		if (response.getStatusCode() != null && response.getStatusCode() != HttpStatus.OK) {
			throw new IllegalStateException(method + " answered " + response.getStatusCode());
		}
		return response;
	}

}
