package io.fastsession.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fastsession.Session;
import io.fastsession.SessionListener;
import io.fastsession.SessionManager;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import io.fastsession.testing.KeepAliveClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.handler.ResponseStatusExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web layer on a real Reactor Netty server, with a store that answers on threads of
 * its own as Lettuce, JDBC workers and spymemcached do, and a client that reuses one
 * connection as browsers and proxies do.
 */
class KeepAliveConnectionTests {

	private final Scheduler storeThreads = Schedulers.newParallel("store-client", 2);

	private final Scheduler workerThreads = Schedulers.newBoundedElastic(2, 100, "worker");

	private final Queue<String> handlerThreads = new ConcurrentLinkedQueue<>();

	private final Queue<String> storeFailureThreads = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean loadsHang = new AtomicBoolean();

	private DisposableServer server;

	@BeforeEach
	void start() {
		this.server = serve(new ForeignThreadStore(new CaffeineSessionStore(), this.storeThreads, this.loadsHang));
	}

	private DisposableServer serve(SessionStore store) {
		SessionListener failures = new SessionListener() {
			@Override
			public void storeCalled(String operation, Duration elapsed, @Nullable Throwable error) {
				if (error != null) {
					KeepAliveConnectionTests.this.storeFailureThreads.add(Thread.currentThread().getName());
				}
			}
		};
		SessionManager manager = SessionManager.builder(store)
			.storeTimeout(Duration.ofSeconds(2))
			.listener(failures)
			.build();
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.webHandler(this::handle)
			.filter(new SessionWebFilter(manager, new CookieSessionIdResolver()))
			// As in an application: a ResponseStatusException sets the status.
			.exceptionHandler(new ResponseStatusExceptionHandler())
			// Created here: its first creation reads a resource, which BlockHound would
			// rightly refuse on an event loop.
			.codecConfigurer(ServerCodecConfigurer.create())
			.build());
		return HttpServer.create().host("127.0.0.1").port(0).handle(adapter).bindNow();
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
		this.storeThreads.dispose();
		this.workerThreads.dispose();
	}

	/**
	 * {@code POST /counter} writes the session; any other request answers at once without
	 * it, as a static resource or an anonymous page does.
	 */
	private Mono<Void> handle(ServerWebExchange exchange) {
		if (exchange.getRequest().getMethod() != HttpMethod.POST) {
			return exchange.getResponse().setComplete();
		}
		Mono<Session> loaded = Sessions.get(exchange);
		if (exchange.getRequest().getPath().value().equals("/worker")) {
			// As Spring Security's password check does: the rest runs on a worker thread.
			loaded = loaded.publishOn(this.workerThreads);
		}
		return loaded.flatMap((session) -> {
			this.handlerThreads.add(Thread.currentThread().getName());
			session.set("count", session.getOrDefault("count", Integer.class, 0) + 1);
			byte[] body = String.valueOf(session.get("count")).getBytes();
			return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
		});
	}

	/**
	 * Each write's answer is finished by a store thread unless the web layer hands it
	 * back to the connection's event loop; the anonymous request after it is answered
	 * synchronously. On Reactor Netty 1.3.6 this pair stopped the connection within a few
	 * hundred requests before the hand-off.
	 */
	@Test
	void everyRequestOnOneReusedConnectionIsAnsweredWhenTheStoreAnswersOnItsOwnThreads() throws IOException {
		try (KeepAliveClient connection = new KeepAliveClient(this.server.port(), Duration.ofSeconds(4))) {
			for (int i = 1; i <= 2_000; i++) {
				KeepAliveClient.Response write = connection.send("POST", "/counter", null);
				assertThat(write.body()).as("answer to write %d", i).isEqualTo(String.valueOf(i));
				assertThat(connection.send("GET", "/static", null).status()).as("answer to read %d", i).isEqualTo(200);
			}
		}
	}

	/**
	 * An in-memory store answers on the caller's thread, but the handler may have moved
	 * the request to a worker thread (Spring Security's form login does): the commit
	 * hands the response back to the event loop all the same. Before it did, the memory
	 * provider's form login hung the next request on the connection.
	 */
	@Test
	void everyRequestIsAnsweredWhenTheHandlerMovedToAnotherThread() throws IOException {
		DisposableServer memory = serve(new CaffeineSessionStore());
		try (KeepAliveClient connection = new KeepAliveClient(memory.port(), Duration.ofSeconds(4))) {
			for (int i = 1; i <= 2_000; i++) {
				KeepAliveClient.Response write = connection.send("POST", "/worker", null);
				assertThat(write.body()).as("answer to write %d", i).isEqualTo(String.valueOf(i));
				assertThat(connection.send("GET", "/static", null).status()).as("answer to read %d", i).isEqualTo(200);
			}
		}
		finally {
			memory.disposeNow();
		}
	}

	@Test
	void theApplicationContinuesOnTheConnectionsEventLoopNotOnTheStoreClientsThread() throws IOException {
		try (KeepAliveClient connection = new KeepAliveClient(this.server.port(), Duration.ofSeconds(4))) {
			for (int i = 0; i < 20; i++) {
				connection.send("POST", "/counter", null);
			}
		}
		// The first request had no session to load.
		assertThat(this.handlerThreads).hasSize(20).allSatisfy((name) -> assertThat(name).startsWith("reactor-http"));
	}

	/**
	 * A store call that never answers is timed out on the connection's event loop, where
	 * setting and cancelling a timer takes no lock and wakes no other thread, and the
	 * request gets its 503.
	 */
	@Test
	void aStoreCallIsTimedOutOnTheConnectionsEventLoop() throws IOException {
		try (KeepAliveClient connection = new KeepAliveClient(this.server.port(), Duration.ofSeconds(4))) {
			assertThat(connection.send("POST", "/counter", null).body()).isEqualTo("1");
			this.loadsHang.set(true);
			assertThat(connection.send("POST", "/counter", null).status()).isEqualTo(503);
		}
		assertThat(this.storeFailureThreads).singleElement().asString().startsWith("reactor-http");
	}

	/**
	 * A store backed by memory whose answers arrive on the store client's threads, like a
	 * network client's; its loads never answer while {@code loadsHang} is set.
	 */
	private record ForeignThreadStore(SessionStore delegate, Scheduler threads,
			AtomicBoolean loadsHang) implements SessionStore {

		@Override
		public boolean isInMemory() {
			return false;
		}

		@Override
		public Mono<SessionRecord> load(String key) {
			return this.loadsHang.get() ? Mono.never() : this.delegate.load(key).publishOn(this.threads);
		}

		@Override
		public Mono<Void> create(String key, SessionRecord record) {
			return this.delegate.create(key, record).publishOn(this.threads);
		}

		@Override
		public Mono<Boolean> update(String key, SessionDelta delta) {
			return this.delegate.update(key, delta).publishOn(this.threads);
		}

		@Override
		public Mono<Boolean> delete(String key) {
			return this.delegate.delete(key).publishOn(this.threads);
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

}
