package io.fastsession.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.fastsession.Session;
import io.fastsession.SessionManager;
import io.fastsession.id.HmacSessionIdCodec;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionIdCodec;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.CountingSessionStore;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.handler.DefaultWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

class SessionWebFilterTests {

	private final AtomicBoolean loadsDown = new AtomicBoolean();

	private final AtomicBoolean writesDown = new AtomicBoolean();

	private final AtomicBoolean writesHang = new AtomicBoolean();

	private final AtomicReference<Throwable> lateChange = new AtomicReference<>();

	private CountingSessionStore store;

	private SessionManager manager;

	@BeforeEach
	void setUp() {
		useStore(false);
	}

	/**
	 * @param synchronous whether the store is an in-memory one answering with synchronous
	 * sources, which the manager and the filter run in place
	 */
	private void useStore(boolean synchronous) {
		this.store = new CountingSessionStore(new SwitchableStore(new CaffeineSessionStore(), this.loadsDown,
				this.writesDown, this.writesHang, synchronous));
		this.manager = SessionManager.builder(this.store).storeTimeout(Duration.ofSeconds(1)).build();
	}

	@Test
	void requestThatNeverAsksForTheSessionCostsNothing() {
		client(new CookieSessionIdResolver()).get()
			.uri("/static")
			.cookie("SESSION", "whatever")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE);
		assertThat(this.store.total()).isZero();
	}

	@Test
	void failureThroughTheFilterChainNamesTheFilterInItsCheckpoint() {
		SessionWebFilter filter = new SessionWebFilter(this.manager, new CookieSessionIdResolver());
		WebFilterChain chain = new DefaultWebFilterChain(
				(exchange) -> Mono.error(new IllegalStateException("handler failed")), List.of(filter));
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		Throwable failure = catchThrowable(() -> chain.filter(exchange).block(Duration.ofSeconds(5)));
		assertThat(failure).hasMessage("handler failed");
		assertThat(failure.getSuppressed()).anySatisfy((trace) -> assertThat(trace.getMessage()).contains("checkpoint")
			.contains(SessionWebFilter.class.getName())
			.doesNotContain(SessionWebFilter.class.getName() + "@"));
		assertThat(filter.toString()).isSameAs(filter.toString());
	}

	@Test
	void readWithoutCookieCreatesNothing() {
		client(new CookieSessionIdResolver()).get()
			.uri("/counter")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody(String.class)
			.isEqualTo("0");
		assertThat(this.store.total()).isZero();
	}

	@Test
	void writeSetsAHardenedCookieThatLaterRequestsUse() {
		WebTestClient client = client(new CookieSessionIdResolver());
		EntityExchangeResult<String> first = client.post()
			.uri("/counter")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		ResponseCookie cookie = first.getResponseCookies().getFirst("SESSION");
		assertThat(cookie).isNotNull();
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
		assertThat(cookie.getPath()).isEqualTo("/");
		assertThat(cookie.isSecure()).isFalse();
		assertThat(cookie.getMaxAge().isNegative()).isTrue();
		assertThat(first.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
		// A write that sends no id (a session cookie needs no renewal) leaves caching to
		// the application.
		client.post()
			.uri("/counter")
			.cookie("SESSION", cookie.getValue())
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectHeader()
			.doesNotExist(HttpHeaders.CACHE_CONTROL)
			.expectBody(String.class)
			.isEqualTo("2");
		client.get()
			.uri("/counter")
			.cookie("SESSION", cookie.getValue())
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody(String.class)
			.isEqualTo("2");
	}

	@Test
	void cookieIsSecureBehindATlsTerminatingProxy() {
		ResponseCookie cookie = client(new CookieSessionIdResolver()).post()
			.uri("/counter")
			.header("X-Forwarded-Proto", "https")
			.exchange()
			.returnResult(String.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(cookie.isSecure()).isTrue();
		ResponseCookie forwarded = client(new CookieSessionIdResolver()).post()
			.uri("/counter")
			.header("Forwarded", "for=1.2.3.4;proto=https")
			.exchange()
			.returnResult(String.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(forwarded.isSecure()).isTrue();
	}

	@Test
	void persistentCookieCarriesMaxAgeAndCustomAttributes() {
		CookieSessionIdResolver resolver = new CookieSessionIdResolver();
		resolver.setName("sid");
		resolver.setMaxAge(Duration.ofDays(7));
		resolver.setDomain("example.com");
		resolver.setSameSite("Strict");
		resolver.setSecure(CookieSessionIdResolver.SecureMode.ALWAYS);
		ResponseCookie cookie = client(resolver).post()
			.uri("/counter")
			.exchange()
			.returnResult(String.class)
			.getResponseCookies()
			.getFirst("sid");
		assertThat(cookie.getMaxAge()).isEqualTo(Duration.ofDays(7));
		assertThat(cookie.getDomain()).isEqualTo("example.com");
		assertThat(cookie.getSameSite()).isEqualTo("Strict");
		assertThat(cookie.isSecure()).isTrue();
		// A write renews a persistent cookie, so that response carries the id too.
		EntityExchangeResult<String> renewed = client(resolver).post()
			.uri("/counter")
			.cookie("sid", cookie.getValue())
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(renewed.getResponseCookies().getFirst("sid").getValue()).isEqualTo(cookie.getValue());
		assertThat(renewed.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
	}

	/**
	 * A write to a stored session tells the transport the id is refreshed; a signing id
	 * codec signs it only for a transport that sends it again (a persistent cookie), not
	 * for the default browser-session cookie, which is never renewed.
	 */
	@Test
	void aWriteSignsTheIdOnlyForATransportThatRenewsIt() {
		HmacSessionIdCodec signing = HmacSessionIdCodec.fromStrings(List.of("k".repeat(32)));
		AtomicInteger signatures = new AtomicInteger();
		SessionIdCodec counting = new SessionIdCodec() {

			@Override
			public String encode(String sessionId) {
				signatures.incrementAndGet();
				return signing.encode(sessionId);
			}

			@Override
			public String decode(String value) {
				return signing.decode(value);
			}

		};
		this.manager = SessionManager.builder(this.store).idCodec(counting).build();
		CookieSessionIdResolver browserSession = new CookieSessionIdResolver();
		String value = newSessionCookie(client(browserSession));
		assertThat(signatures).hasValue(1);
		client(browserSession).post()
			.uri("/counter")
			.cookie("SESSION", value)
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody(String.class)
			.isEqualTo("2");
		assertThat(signatures).hasValue(1);
		CookieSessionIdResolver persistent = new CookieSessionIdResolver();
		persistent.setMaxAge(Duration.ofDays(1));
		ResponseCookie renewed = client(persistent).post()
			.uri("/counter")
			.cookie("SESSION", value)
			.exchange()
			.returnResult(String.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(renewed.getValue()).isEqualTo(value);
		assertThat(signatures).hasValue(2);
	}

	@Test
	void headerTransportReturnsTheIdInTheSameHeader() {
		WebTestClient client = client(new HeaderSessionIdResolver());
		String id = client.post()
			.uri("/counter")
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Session-Id");
		assertThat(id).isNotBlank();
		client.get()
			.uri("/counter")
			.header("X-Session-Id", id)
			.exchange()
			.expectHeader()
			.doesNotExist("X-Session-Id")
			.expectBody(String.class)
			.isEqualTo("1");
		client.post()
			.uri("/logout")
			.header("X-Session-Id", id)
			.exchange()
			.expectHeader()
			.valueEquals("X-Session-Id", "");
		client.get().uri("/counter").header("X-Session-Id", id).exchange().expectBody(String.class).isEqualTo("0");
	}

	/**
	 * With cookie and header configured, each client gets its id back on the transport it
	 * used, and a new visitor on the first configured: a browser's login never puts the
	 * id in a header that the page's scripts could read.
	 */
	@Test
	void theIdGoesBackOnlyOnTheTransportTheRequestUsed() {
		CompositeSessionIdResolver resolver = new CompositeSessionIdResolver(
				List.of(new CookieSessionIdResolver(), new HeaderSessionIdResolver()));
		WebTestClient client = client(resolver);
		EntityExchangeResult<String> fresh = client.post()
			.uri("/counter")
			.exchange()
			.expectHeader()
			.doesNotExist("X-Session-Id")
			.expectBody(String.class)
			.returnResult();
		String cookie = fresh.getResponseCookies().getFirst("SESSION").getValue();
		client.post()
			.uri("/login")
			.cookie("SESSION", cookie)
			.exchange()
			.expectHeader()
			.doesNotExist("X-Session-Id")
			.expectHeader()
			.exists(HttpHeaders.SET_COOKIE);

		String header = client.post()
			.uri("/counter")
			.header("X-Session-Id", "not-a-valid-id")
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Session-Id");
		assertThat(header).isNotBlank();
		client.post()
			.uri("/login")
			.header("X-Session-Id", header)
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectHeader()
			.value("X-Session-Id", (value) -> assertThat(value).isNotBlank().isNotEqualTo(header));
	}

	/**
	 * A sibling subdomain can plant a well-formed cookie of the same name with a more
	 * specific path, which browsers send first: the session of the next cookie is still
	 * found, up to {@link SessionManager#MAX_CANDIDATE_IDS} well-formed ids a request.
	 */
	@Test
	void aTossedCookieSentFirstDoesNotHideTheRealSession() {
		WebTestClient client = client(new CookieSessionIdResolver());
		String real = newSessionCookie(client);
		String tossed = newSessionCookie(client(new CookieSessionIdResolver()));
		String unknown = new RandomSessionIdGenerator().generate();
		getCounter(client, unknown, real).isEqualTo("1");
		getCounter(client, "garbage", unknown, unknown, real).isEqualTo("1");
		this.store.reset();
		getCounter(client, unknown, new RandomSessionIdGenerator().generate(),
				new RandomSessionIdGenerator().generate(), real)
			.isEqualTo("0");
		assertThat(this.store.loads).as("lookups are bounded").hasValue(SessionManager.MAX_CANDIDATE_IDS);
		assertThat(tossed).isNotEqualTo(real);
	}

	/** GET /counter with SESSION cookies in this order, as a browser sends them. */
	private static WebTestClient.BodySpec<String, ?> getCounter(WebTestClient client, String... cookies) {
		return client.get()
			.uri("/counter")
			.cookies((all) -> List.of(cookies).forEach((value) -> all.add("SESSION", value)))
			.exchange()
			.expectBody(String.class);
	}

	@Test
	void queryTransportOnlyReads() {
		CompositeSessionIdResolver resolver = new CompositeSessionIdResolver(
				List.of(new HeaderSessionIdResolver(), new QuerySessionIdResolver()));
		WebTestClient client = client(resolver);
		String id = client.post()
			.uri("/counter")
			.exchange()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("X-Session-Id");
		client.get().uri("/counter?session={id}", id).exchange().expectBody(String.class).isEqualTo("1");
	}

	@Test
	void logoutExpiresTheCookie() {
		WebTestClient client = client(new CookieSessionIdResolver());
		String id = newSessionCookie(client);
		ResponseCookie expired = client.post()
			.uri("/logout")
			.cookie("SESSION", id)
			.exchange()
			.expectStatus()
			.isNoContent()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(expired.getMaxAge()).isZero();
		assertThat(expired.getValue()).isEmpty();
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void writeToASessionDeletedWhileInFlightIsDroppedAndExpiresTheCookie(boolean synchronous) {
		useStore(synchronous);
		WebTestClient client = client(new CookieSessionIdResolver());
		String id = newSessionCookie(client);
		ResponseCookie expired = client.post()
			.uri("/counter-deleted-meanwhile")
			.cookie("SESSION", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("2")
			.returnResult()
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(expired).isNotNull();
		assertThat(expired.getMaxAge()).isZero();
		assertThat(expired.getValue()).isEmpty();
		assertThat(this.store.count().block()).isZero();
		client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("0");
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void storeFailureOnLoadIsA503AndRecoveryIsAutomatic(boolean synchronous) {
		useStore(synchronous);
		WebTestClient client = client(new CookieSessionIdResolver());
		String id = newSessionCookie(client);
		this.loadsDown.set(true);
		client.get()
			.uri("/counter")
			.cookie("SESSION", id)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		client.get().uri("/static").cookie("SESSION", id).exchange().expectStatus().isOk();
		this.loadsDown.set(false);
		client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("1");
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void theStoreIsConsultedWhenTheSessionIsSubscribedToNotWhenItIsAskedFor(boolean synchronous) {
		useStore(synchronous);
		WebTestClient client = client(new CookieSessionIdResolver());
		String id = newSessionCookie(client);
		client.get().uri("/lazy").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("1");
	}

	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void storeFailureOnSaveIsA503EvenWithoutABody(boolean synchronous) {
		useStore(synchronous);
		WebTestClient client = client(new CookieSessionIdResolver());
		String id = newSessionCookie(client);
		this.writesDown.set(true);
		expectUnavailableWithoutCookie(client.post().uri("/counter"));
		expectUnavailableWithoutCookie(client.post().uri("/logout").cookie("SESSION", id));
		this.writesDown.set(false);
		client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("1");
	}

	@Test
	void aHangingStoreIsA503AfterTheStoreTimeoutNotAHang() {
		WebTestClient client = client(new CookieSessionIdResolver()).mutate()
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		String id = newSessionCookie(client);
		this.writesHang.set(true);
		expectUnavailableWithoutCookie(client.post().uri("/counter"));
		client.post()
			.uri("/counter")
			.cookie("SESSION", id)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		client.post()
			.uri("/logout")
			.cookie("SESSION", id)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		this.writesHang.set(false);
		client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("1");
	}

	/**
	 * A change made after the response was committed (as a streaming body can) could be
	 * neither stored nor told to the client: it fails instead of vanishing.
	 */
	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void aChangeAfterTheResponseCommittedFailsLoudly(boolean synchronous) {
		useStore(synchronous);
		WebTestClient client = client(new CookieSessionIdResolver());
		String id = newSessionCookie(client);
		client.post().uri("/late").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("early");
		assertThat(this.lateChange.getAndSet(null)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("after its commit");
		client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("1");

		this.store.reset();
		client.post()
			.uri("/late")
			.exchange()
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectBody(String.class)
			.isEqualTo("early");
		assertThat(this.lateChange.get()).as("a new session's first change, after the response")
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("after its commit");
		assertThat(this.store.total()).isZero();
	}

	/**
	 * A commit action that another filter registered before the handler asked for the
	 * session runs before the session's own and may still change it: the change is stored
	 * and the new session's id sent. (Registering the session's commit only at its first
	 * change, to spare read-only requests Spring's commit pipeline, would refuse this
	 * change: the response is already committing when it comes.)
	 */
	@ParameterizedTest(name = "synchronous store: {0}")
	@ValueSource(booleans = { false, true })
	void aCommitActionRegisteredBeforeTheSessionWasAskedForMayStillChangeIt(boolean synchronous) {
		useStore(synchronous);
		WebFilter markAtCommit = (exchange, chain) -> {
			exchange.getResponse()
				.beforeCommit(() -> Sessions.get(exchange)
					.doOnNext((session) -> session.set("marked", exchange.getRequest().getMethod().name()))
					.then());
			return chain.filter(exchange);
		};
		WebTestClient client = client(new CookieSessionIdResolver(), markAtCommit);
		String id = newSessionCookie(client);
		assertThat(marked(id)).isEqualTo("POST");
		client.get().uri("/counter").cookie("SESSION", id).exchange().expectBody(String.class).isEqualTo("1");
		assertThat(marked(id)).as("a read-only request's session").isEqualTo("GET");
		String anonymous = sessionCookie(client.get().uri("/counter"));
		assertThat(marked(anonymous)).as("an anonymous request's session").isEqualTo("GET");
	}

	private @Nullable Object marked(String clientValue) {
		return this.manager.load(List.of(clientValue)).block(Duration.ofSeconds(5)).get("marked");
	}

	/** A store failure is a 503, and no cookie names a session that was not stored. */
	private static void expectUnavailableWithoutCookie(WebTestClient.RequestHeadersSpec<?> request) {
		request.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE);
	}

	private static String newSessionCookie(WebTestClient client) {
		return sessionCookie(client.post().uri("/counter"));
	}

	/** The session cookie that a request's response sets. */
	private static String sessionCookie(WebTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().returnResult(String.class).getResponseCookies().getFirst("SESSION").getValue();
	}

	private WebTestClient client(SessionIdResolver resolver) {
		return client(resolver, (exchange, chain) -> chain.filter(exchange));
	}

	/**
	 * @param after a filter that runs after the session filter
	 */
	private WebTestClient client(SessionIdResolver resolver, WebFilter after) {
		RouterFunction<ServerResponse> routes = route(GET("/static"),
				(request) -> ServerResponse.ok().bodyValue("static"))
			.andRoute(GET("/counter"),
					(request) -> Sessions.get(request)
						.flatMap((session) -> ServerResponse.ok().bodyValue(count(session).toString())))
			.andRoute(POST("/counter"), (request) -> Sessions.get(request).flatMap((session) -> {
				session.set("count", count(session) + 1);
				return ServerResponse.ok().bodyValue(count(session).toString());
			}))
			.andRoute(POST("/counter-deleted-meanwhile"), (request) -> Sessions.get(request).flatMap((session) -> {
				// Another request (a logout in another tab) deletes the session
				// while this one is in flight.
				return this.store.delete(SessionKeys.hash(session.getId())).then(Mono.defer(() -> {
					session.set("count", count(session) + 1);
					return ServerResponse.ok().bodyValue(count(session).toString());
				}));
			}))
			.andRoute(GET("/lazy"), (request) -> {
				// The store is down when the session is asked for and back before the
				// answer is subscribed to: a lazy load succeeds.
				this.loadsDown.set(true);
				Mono<Session> session = Sessions.get(request);
				this.loadsDown.set(false);
				return session.flatMap((loaded) -> ServerResponse.ok().bodyValue(count(loaded).toString()));
			})
			.andRoute(POST("/late"), (request) -> Sessions.get(request)
				.flatMap((session) -> ServerResponse.ok().build((exchange, context) -> {
					DataBuffer body = exchange.getResponse().bufferFactory().wrap("early".getBytes());
					return exchange.getResponse().writeWith(Mono.just(body)).then(Mono.fromRunnable(() -> {
						try {
							session.set("count", 99);
						}
						catch (RuntimeException ex) {
							this.lateChange.set(ex);
						}
					}));
				})))
			.andRoute(POST("/login"), (request) -> Sessions.get(request).flatMap((session) -> {
				session.set("user", "alice");
				session.regenerateId();
				return ServerResponse.noContent().build();
			}))
			.andRoute(POST("/logout"), (request) -> Sessions.get(request).flatMap((session) -> {
				session.invalidate();
				return ServerResponse.noContent().build();
			}));
		return WebTestClient.bindToRouterFunction(routes)
			.webFilter(new SessionWebFilter(this.manager, resolver), after)
			.build();
	}

	private static Integer count(Session session) {
		return session.getOrDefault("count", Integer.class, 0);
	}

	/**
	 * A real store whose backend can be switched off, to simulate an outage.
	 */
	static final class SwitchableStore implements SessionStore {

		private final SessionStore delegate;

		private final AtomicBoolean loadsDown;

		private final AtomicBoolean writesDown;

		private final AtomicBoolean writesHang;

		private final boolean synchronous;

		SwitchableStore(SessionStore delegate, AtomicBoolean loadsDown, AtomicBoolean writesDown,
				AtomicBoolean writesHang, boolean synchronous) {
			this.delegate = delegate;
			this.loadsDown = loadsDown;
			this.writesDown = writesDown;
			this.writesHang = writesHang;
			this.synchronous = synchronous;
		}

		@Override
		public boolean isInMemory() {
			return this.synchronous;
		}

		@SuppressWarnings("unchecked")
		private <T> Mono<T> guard(AtomicBoolean down, Mono<T> call) {
			if (this.synchronous && call instanceof Callable<?>) {
				// A synchronous source, as in-memory stores give.
				return Mono.fromCallable(() -> {
					if (down.get()) {
						throw new IllegalStateException("backend down");
					}
					return ((Callable<T>) call).call();
				});
			}
			return Mono.defer(() -> down.get() ? Mono.error(new IllegalStateException("backend down")) : call);
		}

		private <T> Mono<T> guard(Mono<T> call) {
			if (this.synchronous) {
				return guard(this.writesDown, call);
			}
			return Mono.defer(() -> this.writesHang.get() ? Mono.never() : guard(this.writesDown, call));
		}

		@Override
		public Mono<SessionRecord> load(String key) {
			return guard(this.loadsDown, this.delegate.load(key));
		}

		@Override
		public Mono<Void> create(String key, SessionRecord record) {
			return guard(this.delegate.create(key, record));
		}

		@Override
		public Mono<Boolean> update(String key, SessionDelta delta) {
			return guard(this.delegate.update(key, delta));
		}

		@Override
		public Mono<Boolean> delete(String key) {
			return guard(this.delegate.delete(key));
		}

		@Override
		public Mono<Long> count() {
			return guard(this.delegate.count());
		}

		@Override
		public Mono<Long> removeExpired(Instant now) {
			return guard(this.delegate.removeExpired(now));
		}

	}

}
