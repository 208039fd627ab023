package io.fastsession.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fastsession.SessionManager;
import io.fastsession.codec.AttributeCodec;
import io.fastsession.codec.JdkAttributeCodec;
import io.fastsession.codec.JsonAttributeCodec;
import io.fastsession.id.HmacSessionIdCodec;
import io.fastsession.id.SessionIdCodec;
import io.fastsession.id.SessionIdGenerator;
import io.fastsession.store.SessionStore;
import io.fastsession.store.file.FileSessionStore;
import io.fastsession.store.jdbc.JdbcSessionStore;
import io.fastsession.store.memcached.MemcachedSessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import io.fastsession.store.redis.RedisSessionStore;
import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestServers;
import io.fastsession.web.CompositeSessionIdResolver;
import io.fastsession.web.CookieSessionIdResolver;
import io.fastsession.web.FastSessionWebSessionManager;
import io.fastsession.web.HeaderSessionIdResolver;
import io.fastsession.web.QuerySessionIdResolver;
import io.fastsession.web.SessionIdResolver;
import io.fastsession.web.SessionWebFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class FastSessionAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FastSessionAutoConfiguration.class));

	@Test
	void defaultsGiveTheMemoryProviderWithACookie() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(CaffeineSessionStore.class)
				.hasSingleBean(SessionManager.class)
				.hasSingleBean(SessionWebFilter.class)
				.hasSingleBean(ExpiredSessionCleaner.class);
			assertThat(context.getBean(SessionIdResolver.class)).isInstanceOf(CookieSessionIdResolver.class);
			assertThat(context.getBean(SessionIdCodec.class)).isSameAs(SessionIdCodec.plain());
			assertThat(context.getBean(AttributeCodec.class)).isInstanceOf(JsonAttributeCodec.class);
			SessionManager manager = context.getBean(SessionManager.class);
			assertThat(manager.getIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
			assertThat(manager.getAbsoluteTimeout()).isNull();
		});
	}

	@Test
	void propertiesReachTheManager() {
		this.runner
			.withPropertyValues("fastsession.timeout=2s", "fastsession.absolute-timeout=8h",
					"fastsession.store-timeout=300ms")
			.run((context) -> {
				SessionManager manager = context.getBean(SessionManager.class);
				assertThat(manager.getIdleTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(manager.getAbsoluteTimeout()).isEqualTo(Duration.ofHours(8));
				assertThat(manager.getStoreTimeout()).isEqualTo(Duration.ofMillis(300));
			});
	}

	@Test
	void providerNamesAreCaseInsensitive() {
		this.runner.withPropertyValues("fastsession.provider=MEMORY")
			.run((context) -> assertThat(context).hasSingleBean(CaffeineSessionStore.class));
	}

	@Test
	void fileProviderWithADirectory(@TempDir Path directory) {
		this.runner.withPropertyValues("fastsession.provider=file", "fastsession.file.directory=" + directory)
			.run((context) -> {
				assertThat(context).hasSingleBean(FileSessionStore.class).doesNotHaveBean(CaffeineSessionStore.class);
				assertThat(context.getBean(FileSessionStore.class).getDirectory()).isEqualTo(directory);
			});
	}

	@Test
	void redisProviderUsesTheApplicationsConnectionFactory() {
		this.runner
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class))
			.withPropertyValues("fastsession.provider=redis", "fastsession.redis.key-prefix=app1:")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisSessionStore.class).doesNotHaveBean(CaffeineSessionStore.class);
				assertThat(context.getBean(RedisSessionStore.class).getKeyPrefix()).isEqualTo("app1:");
			});
	}

	@Test
	void redisProviderWithoutAConnectionFactoryNamesTheStarter() {
		this.runner.withPropertyValues("fastsession.provider=redis")
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("spring-boot-starter-data-redis-reactive"));
	}

	@Test
	@NeedsServer
	void memcachedProviderConnectsToTheConfiguredServers() {
		String server = TestServers.memcachedServers().get(0);
		this.runner
			.withPropertyValues("fastsession.provider=memcached", "fastsession.memcached.servers=" + server,
					"fastsession.memcached.key-prefix=app1:")
			.run((context) -> {
				MemcachedSessionStore store = context.getBean(MemcachedSessionStore.class);
				assertThat(store.getKeyPrefix()).isEqualTo("app1:");
				SessionManager manager = context.getBean(SessionManager.class);
				io.fastsession.Session session = manager.createSession();
				session.set("user", "alice");
				String client = manager.commit(session).block().getClientValue();
				assertThat(manager.load(java.util.List.of(client)).block().get("user")).isEqualTo("alice");
			});
	}

	@Test
	void memcachedProviderRefusesKeyPrefixesMemcachedCannotStore() {
		this.runner.withPropertyValues("fastsession.provider=memcached", "fastsession.memcached.key-prefix=my app")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("fastsession.memcached.key-prefix"));
		this.runner.withPropertyValues("fastsession.provider=memcached", "fastsession.memcached.servers=")
			.run((context) -> assertThat(analyze(context).getAction()).contains("fastsession.memcached.servers"));
	}

	@Test
	void fileProviderWithoutADirectoryFailsWithAnAction() {
		this.runner.withPropertyValues("fastsession.provider=file")
			.run((context) -> assertThat(analyze(context).getAction()).contains("fastsession.file.directory"));
	}

	@Test
	void unknownProviderFailsBindingListingTheKnownOnes() {
		this.runner.withPropertyValues("fastsession.provider=mongodb").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("'mongodb' is not a session provider")
				.hasMessageContaining("memory, file, redis, memcached, postgres, mysql, sqlite");
			assertThat(context.getStartupFailure()).hasCauseInstanceOf(BeanCreationException.class)
				.hasStackTraceContaining("fastsession.provider");
		});
	}

	@Test
	void fasthttpsessionsProviderNamesAreAliases(@TempDir Path directory) throws Exception {
		int closed;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		// spymemcached connects in the background: no server is needed to build the
		// store.
		this.runner
			.withPropertyValues("fastsession.provider=memcache", "fastsession.memcached.servers=127.0.0.1:" + closed)
			.run((context) -> {
				assertThat(context).hasSingleBean(MemcachedSessionStore.class);
				assertThat(context.getBean(FastSessionProperties.class).getProvider())
					.isEqualTo(FastSessionProperties.Provider.MEMCACHED);
			});
		this.runner
			.withPropertyValues("fastsession.provider=SQLite3", "fastsession.sqlite.path=" + directory.resolve("s.db"))
			.run((context) -> assertThat(context.getBean(SessionStore.class)).isInstanceOf(JdbcSessionStore.class));
	}

	@Test
	void bareNumbersOnSessionDurationsAreSeconds() {
		this.runner
			.withPropertyValues("fastsession.timeout=1800", "fastsession.absolute-timeout=43200",
					"fastsession.cleanup-interval=30", "fastsession.cookie.max-age=3600")
			.run((context) -> {
				SessionManager manager = context.getBean(SessionManager.class);
				assertThat(manager.getIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
				assertThat(manager.getAbsoluteTimeout()).isEqualTo(Duration.ofHours(12));
				FastSessionProperties properties = context.getBean(FastSessionProperties.class);
				assertThat(properties.getCleanupInterval()).isEqualTo(Duration.ofSeconds(30));
				assertThat(setCookie(context, "http://example.com/")).contains("Max-Age=3600");
			});
	}

	@Test
	void sameSiteIsCaseInsensitiveAndCanBeOmitted() {
		this.runner.withPropertyValues("fastsession.cookie.same-site=strict")
			.run((context) -> assertThat(setCookie(context, "http://example.com/")).contains("SameSite=Strict"));
		this.runner.withPropertyValues("fastsession.cookie.same-site=Lax")
			.run((context) -> assertThat(setCookie(context, "http://example.com/")).contains("SameSite=Lax"));
		this.runner.withPropertyValues("fastsession.cookie.same-site=NONE", "fastsession.cookie.secure=always")
			.run((context) -> assertThat(setCookie(context, "http://example.com/")).contains("SameSite=None")
				.contains("Secure"));
		this.runner.withPropertyValues("fastsession.cookie.same-site=omitted")
			.run((context) -> assertThat(setCookie(context, "http://example.com/")).doesNotContain("SameSite"));
		this.runner.withPropertyValues("fastsession.cookie.same-site=lax-ish")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("fastsession.cookie.same-site"));
	}

	@Test
	void cookieSecureTakesBooleansAsAliases() {
		this.runner.withPropertyValues("fastsession.cookie.secure=true").run((context) -> {
			assertThat(setCookie(context, "http://example.com/")).doesNotContain("Secure");
			assertThat(setCookie(context, "https://example.com/")).contains("Secure");
		});
		this.runner.withPropertyValues("fastsession.cookie.secure=false")
			.run((context) -> assertThat(setCookie(context, "https://example.com/")).doesNotContain("Secure"));
		// YAML's "secure: true" binds a Boolean, not a String.
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("yaml", Map.of("fastsession.cookie.secure", Boolean.TRUE))))
			.run((context) -> {
				assertThat(context.getBean(FastSessionProperties.class).getCookie().getSecure())
					.isEqualTo(CookieSessionIdResolver.SecureMode.AUTO);
				assertThat(setCookie(context, "https://example.com/")).contains("Secure");
			});
		this.runner.withPropertyValues("fastsession.cookie.secure=ALWAYS")
			.run((context) -> assertThat(setCookie(context, "http://example.com/")).contains("Secure"));
	}

	@Test
	void idGeneratorWhoseIdsFailItsOwnCheckStopsStartUp() {
		this.runner.withBean(SessionIdGenerator.class, () -> () -> "short-id").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("isValid")
				.contains("8 characters long")
				.contains("at least 16");
			assertThat(analysis.getAction()).contains("override isValid");
		});
		this.runner.withBean(SessionIdGenerator.class, () -> () -> "c2Vzc2lvbi+pZC/0aGF0LWlz")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("'+' '/'"));
		this.runner.withBean(SessionIdGenerator.class, () -> new SessionIdGenerator() {

			@Override
			public String generate() {
				return "abcdefgh.ijklmnopqrstu";
			}

			@Override
			public boolean isValid(String id) {
				return true;
			}

		}).run((context) -> assertThat(analyze(context).getDescription()).contains("'.'"));
	}

	@Test
	void signingKeyLeftAsAPlaceholderSaysSo() {
		this.runner.withPropertyValues("fastsession.session-id.signing-keys=${FASTSESSION_TEST_UNSET_KEY}")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription())
					.contains("placeholder ${FASTSESSION_TEST_UNSET_KEY} was not resolved")
					.doesNotContain("bytes");
				assertThat(analysis.getAction()).contains("environment variable FASTSESSION_TEST_UNSET_KEY");
			});
	}

	@Test
	void bootsWebFluxSessionPropertiesAreNamedInAWarning(CapturedOutput output) {
		this.runner.withPropertyValues("server.reactive.session.timeout=10m",
				"server.reactive.session.cookie.same-site=strict", "server.reactive.session.cookie.partitioned=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("server.reactive.session.timeout is set, but fastsession")
					.contains("set fastsession.timeout instead")
					.contains("set fastsession.cookie.same-site instead")
					.contains("server.reactive.session.cookie.partitioned is set");
			});
	}

	@Test
	void bootsWebFluxSessionPropertiesAreNotWarnedAboutWhenWebFluxKeepsItsSessions(CapturedOutput output) {
		this.runner.withPropertyValues("server.reactive.session.timeout=10m", "fastsession.webflux.enabled=false")
			.run((context) -> assertThat(output).doesNotContain("server.reactive.session.timeout is set"));
	}

	@Test
	void startUpLogNamesTheProviderAndWhereItStores(@TempDir Path directory, CapturedOutput output) {
		this.runner.run((context) -> assertThat(output)
			.contains("fastsession: sessions are kept by the memory provider, in this JVM's memory"));
		this.runner.withPropertyValues("fastsession.provider=file", "fastsession.file.directory=" + directory)
			.run((context) -> assertThat(output)
				.contains("fastsession: sessions are kept by the file provider, in files under " + directory));
		this.runner
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class))
			.withPropertyValues("fastsession.provider=redis",
					"spring.data.redis.url=redis://app:not-to-be-logged@127.0.0.1:6399/3")
			.run((context) -> assertThat(output)
				.contains("fastsession: sessions are kept by the redis provider, in Redis at 127.0.0.1:6399,"
						+ " database 3, keys fastsession:*")
				.doesNotContain("not-to-be-logged"));
	}

	@Test
	void fileDirectoryThatCannotBeCreatedGivesAReport(@TempDir Path directory) throws Exception {
		Path file = java.nio.file.Files.createFile(directory.resolve("a-file"));
		this.runner.withPropertyValues("fastsession.provider=file", "fastsession.file.directory=" + file.resolve("x"))
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("fastsession.file.directory")
					.contains(file.resolve("x").toString())
					.contains("cannot be created");
				assertThat(analysis.getAction()).contains("fastsession.file.directory");
			});
	}

	@Test
	void aWebSessionManagerOfTheApplicationWinsByName() {
		this.runner
			.withBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME, WebSessionManager.class,
					DefaultWebSessionManager::new)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(FastSessionWebSessionManager.class);
				assertThat(context.getBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME))
					.isInstanceOf(DefaultWebSessionManager.class);
				assertThat(context).hasSingleBean(SessionWebFilter.class);
			});
	}

	@Test
	void theWebFluxConfigurerAndTheCleanerBackOffByName() {
		WebFluxConfigurer configurer = new WebFluxConfigurer() {
		};
		this.runner.withBean("fastSessionWebFluxConfigurer", WebFluxConfigurer.class, () -> configurer)
			.withBean("fastSessionExpiredSessionCleaner", String.class, () -> "the application's own")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ExpiredSessionCleaner.class);
				assertThat(context.getBean("fastSessionWebFluxConfigurer")).isSameAs(configurer);
				assertThat(context.getBean("fastSessionExpiredSessionCleaner")).isEqualTo("the application's own");
			});
	}

	@Test
	void providerWithoutItsDriverNamesTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("fastsession.provider=redis")
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("org.springframework.boot:spring-boot-starter-data-redis-reactive"));
		this.runner.withClassLoader(new FilteredClassLoader(Caffeine.class))
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("com.github.ben-manes.caffeine:caffeine"));
	}

	@Test
	void userStoreWins() {
		this.runner.withUserConfiguration(UserStoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionStore.class);
			assertThat(context.getBean(SessionManager.class).getStore())
				.isSameAs(context.getBean("myStore", SessionStore.class));
		});
	}

	@Test
	void userIdGeneratorCodecAndResolverWin() {
		this.runner.withUserConfiguration(UserIdConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionIdGenerator.class).hasSingleBean(SessionIdCodec.class);
			assertThat(context.getBean(SessionIdGenerator.class)).isSameAs(UserIdConfiguration.GENERATOR);
			assertThat(context.getBean(SessionIdResolver.class)).isInstanceOf(HeaderSessionIdResolver.class);
		});
	}

	@Test
	void signingKeysGiveTheHmacCodec() {
		this.runner.withPropertyValues("fastsession.session-id.signing-keys=" + "a".repeat(32) + "," + "b".repeat(40))
			.run((context) -> assertThat(context.getBean(SessionIdCodec.class)).isInstanceOf(HmacSessionIdCodec.class));
	}

	@Test
	void shortSigningKeyFailsWithoutShowingTheKey() {
		this.runner.withPropertyValues("fastsession.session-id.signing-keys=secret-but-short").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("signing-keys[0]").doesNotContain("secret-but-short");
			assertThat(analysis.getAction()).contains("32 bytes");
		});
	}

	@Test
	void severalSourcesCombineInOrder() {
		this.runner.withPropertyValues("fastsession.session-id.sources=header,cookie,query").run((context) -> {
			CompositeSessionIdResolver resolver = (CompositeSessionIdResolver) context.getBean(SessionIdResolver.class);
			assertThat(resolver.getResolvers()).hasExactlyElementsOfTypes(HeaderSessionIdResolver.class,
					CookieSessionIdResolver.class, QuerySessionIdResolver.class);
		});
	}

	@Test
	void jdkCodecIsSelectable() {
		this.runner.withPropertyValues("fastsession.codec=jdk", "fastsession.jdk-codec.allowed-classes=java.lang.*")
			.run((context) -> assertThat(context.getBean(AttributeCodec.class)).isInstanceOf(JdkAttributeCodec.class));
	}

	@Test
	void contradictoryTimeoutsFail() {
		this.runner.withPropertyValues("fastsession.timeout=1h", "fastsession.absolute-timeout=10m")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.absolute-timeout"));
		this.runner.withPropertyValues("fastsession.touch-threshold=2")
			.run((context) -> assertThat(analyze(context).getAction()).contains("between 0 and 1"));
		this.runner.withPropertyValues("fastsession.session-id.bytes=8")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.session-id.bytes"));
		this.runner.withPropertyValues("fastsession.cookie.max-age=0s")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.cookie.max-age"));
	}

	@Test
	void cookieSettingsThatBrowsersRejectFailAtStartUp() {
		this.runner.withPropertyValues("fastsession.cookie.name=__Host-SESSION").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("fastsession.cookie.secure").contains("__Host-SESSION");
			assertThat(analysis.getAction()).contains("fastsession.cookie.secure=always");
		});
		this.runner.withPropertyValues("fastsession.cookie.name=__secure-id", "fastsession.cookie.secure=never")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.cookie.secure"));
		this.runner
			.withPropertyValues("fastsession.cookie.name=__Host-SESSION", "fastsession.cookie.secure=always",
					"fastsession.cookie.domain=example.com")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.cookie.domain"));
		this.runner
			.withPropertyValues("fastsession.cookie.name=__Host-SESSION", "fastsession.cookie.secure=always",
					"fastsession.cookie.path=/app")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.cookie.path"));
		this.runner.withPropertyValues("fastsession.cookie.same-site=none", "fastsession.cookie.secure=never")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("fastsession.cookie.same-site"));
	}

	@Test
	void cookieSettingsThatBrowsersAcceptStart() {
		this.runner.withPropertyValues("fastsession.cookie.name=__Host-SESSION", "fastsession.cookie.secure=always")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SessionWebFilter.class));
		this.runner
			.withPropertyValues("fastsession.cookie.name=__Secure-SESSION", "fastsession.cookie.secure=always",
					"fastsession.cookie.domain=example.com", "fastsession.cookie.path=/app")
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withPropertyValues("fastsession.cookie.same-site=none")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void customizersApply() {
		this.runner
			.withBean(SessionManagerCustomizer.class, () -> (builder) -> builder.storeTimeout(Duration.ofMillis(7)))
			.run((context) -> assertThat(context.getBean(SessionManager.class).getStoreTimeout())
				.isEqualTo(Duration.ofMillis(7)));
	}

	@Test
	void webFluxSessionsAreFastsessionsUnlessTurnedOff() {
		this.runner.run((context) -> assertThat(context.getBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME))
			.isInstanceOf(FastSessionWebSessionManager.class));
		this.runner.withPropertyValues("fastsession.webflux.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FastSessionWebSessionManager.class));
	}

	@Test
	void nothingHappensOutsideAReactiveWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FastSessionAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SessionManager.class));
	}

	/**
	 * Return the Set-Cookie header the configured transport writes for a new session on a
	 * request to the given URL.
	 */
	private static String setCookie(AssertableReactiveWebApplicationContext context, String url) {
		assertThat(context).hasNotFailed();
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(url));
		context.getBean(SessionIdResolver.class).setSessionId(exchange, "id");
		return exchange.getResponse().getCookies().getFirst("SESSION").toString();
	}

	private static FailureAnalysis analyze(AssertableReactiveWebApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FastSessionFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		@Bean
		SessionStore myStore() {
			return new CaffeineSessionStore(10, java.time.Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserIdConfiguration {

		static final SessionIdGenerator GENERATOR = () -> java.util.UUID.randomUUID().toString();

		@Bean
		SessionIdGenerator myGenerator() {
			return GENERATOR;
		}

		@Bean
		SessionIdCodec myCodec() {
			return SessionIdCodec.plain();
		}

		@Bean
		SessionIdResolver myResolver() {
			return new HeaderSessionIdResolver("X-Token");
		}

	}

}
