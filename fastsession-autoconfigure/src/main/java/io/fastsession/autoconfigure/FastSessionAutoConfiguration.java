package io.fastsession.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

import io.fastsession.PrincipalNameResolver;
import io.fastsession.SessionListener;
import io.fastsession.SessionManager;
import io.fastsession.codec.AttributeCodec;
import io.fastsession.codec.JdkAttributeCodec;
import io.fastsession.codec.JsonAttributeCodec;
import io.fastsession.id.HmacSessionIdCodec;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionIdCodec;
import io.fastsession.id.SessionIdGenerator;
import io.fastsession.store.SessionStore;
import io.fastsession.web.CompositeSessionIdResolver;
import io.fastsession.web.CookieSessionIdResolver;
import io.fastsession.web.FastSessionWebSessionManager;
import io.fastsession.web.HeaderSessionIdResolver;
import io.fastsession.web.QuerySessionIdResolver;
import io.fastsession.web.SessionArgumentResolver;
import io.fastsession.web.SessionIdResolver;
import io.fastsession.web.SessionWebFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.WebSessionManager;

/**
 * Auto-configures fastsession for a reactive web application: a {@link SessionStore} for
 * the chosen {@code fastsession.provider}, the {@link SessionManager}, the id transports,
 * the {@link SessionWebFilter} and the {@code Session} controller argument. Every bean
 * backs off when the application defines its own.
 *
 * @author fastsession authors
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(FastSessionProperties.class)
@Import({ StoreConfigurations.Memory.class, StoreConfigurations.File.class, StoreConfigurations.Redis.class,
		StoreConfigurations.Memcached.class, JdbcStoreConfiguration.class, StoreConfigurations.Missing.class })
public final class FastSessionAutoConfiguration {

	private static final Log logger = LogFactory.getLog(FastSessionAutoConfiguration.class);

	private static final boolean SPRING_SECURITY_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository",
			FastSessionAutoConfiguration.class.getClassLoader());

	/**
	 * What Spring Security keeps in a WebFlux session: security context, authentication,
	 * CSRF token.
	 */
	static final List<String> SPRING_SECURITY_CLASSES = List.of("org.springframework.security.core.**",
			"org.springframework.security.authentication.**", "org.springframework.security.web.server.csrf.*");

	/**
	 * Lets {@code fastsession.provider} and {@code fastsession.cookie.secure} take the
	 * values users bring from fasthttpsession and Spring Boot.
	 */
	@Bean
	@ConfigurationPropertiesBinding
	static GenericConverter fastSessionPropertiesConverter() {
		return new FastSessionPropertiesConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionIdGenerator fastSessionIdGenerator(FastSessionProperties properties) {
		int bytes = properties.getSessionId().getBytes();
		if (bytes < RandomSessionIdGenerator.MIN_BYTES) {
			throw FastSessionStartupException.invalidProperty("fastsession.session-id.bytes", bytes,
					"session ids need at least " + RandomSessionIdGenerator.MIN_BYTES + " random bytes (128 bits)",
					"Set fastsession.session-id.bytes to 16 or more; the default, 32, is recommended.");
		}
		return new RandomSessionIdGenerator(bytes);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionIdCodec fastSessionIdCodec(FastSessionProperties properties) {
		List<String> keys = properties.getSessionId().getSigningKeys();
		if (keys.isEmpty()) {
			return SessionIdCodec.plain();
		}
		for (int i = 0; i < keys.size(); i++) {
			String placeholder = UnresolvedPlaceholders.find(keys.get(i));
			if (placeholder != null) {
				throw FastSessionStartupException.invalidProperty("fastsession.session-id.signing-keys[" + i + "]",
						keys.get(i),
						"the placeholder ${" + placeholder + "} was not resolved: no property or"
								+ " environment variable named " + placeholder + " is set",
						"Set the environment variable " + placeholder + " (or the property " + placeholder
								+ ") to a random key of at least 32 bytes, for example the output of"
								+ " 'openssl rand -base64 48', or remove the signing key for unsigned ids.");
			}
			int length = keys.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
			if (length < HmacSessionIdCodec.MIN_KEY_BYTES) {
				throw FastSessionStartupException.invalidProperty("fastsession.session-id.signing-keys[" + i + "]",
						"(" + length + " bytes, hidden)",
						"signing keys need at least " + HmacSessionIdCodec.MIN_KEY_BYTES + " bytes",
						"Use a random key of at least 32 bytes, for example the output of 'openssl rand -base64 48'.");
			}
		}
		return HmacSessionIdCodec.fromStrings(keys);
	}

	@Bean
	@ConditionalOnMissingBean
	AttributeCodec fastSessionAttributeCodec(FastSessionProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
		if (properties.getCodec() == FastSessionProperties.Codec.JDK) {
			return new JdkAttributeCodec(properties.getJdkCodec().getAllowedClasses());
		}
		JsonMapper mapper = jsonMapper.getIfAvailable();
		return (mapper != null) ? new JsonAttributeCodec(mapper) : new JsonAttributeCodec();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionManager fastSessionManager(FastSessionProperties properties, SessionStore store, AttributeCodec codec,
			SessionIdGenerator idGenerator, SessionIdCodec idCodec, PrincipalNameResolver principalResolver,
			ObjectProvider<SessionListener> listeners, ObjectProvider<SessionManagerCustomizer> customizers) {
		checkTimeouts(properties);
		IdGeneratorCheck.check(idGenerator);
		SessionManager.Builder builder = SessionManager.builder(store)
			.codec(codec)
			.typedCodec(new JdkAttributeCodec(typedClasses(properties)))
			.principalResolver(principalResolver)
			.idGenerator(idGenerator)
			.idCodec(idCodec)
			.idleTimeout(properties.getTimeout())
			.absoluteTimeout(properties.getAbsoluteTimeout())
			.touchThreshold(properties.getTouchThreshold())
			.lazyCreate(properties.isLazyCreate())
			.storeTimeout(properties.getStoreTimeout())
			.maxAttributeSize(positiveInt("fastsession.max-attribute-size", properties.getMaxAttributeSize()))
			.maxSessionSize(positive("fastsession.max-session-size", properties.getMaxSessionSize()))
			.maxAttributes(positiveInt("fastsession.max-attributes", properties.getMaxAttributes()));
		List<SessionListener> all = listeners.orderedStream().toList();
		if (!all.isEmpty()) {
			builder.listener((all.size() == 1) ? all.get(0) : new CompositeSessionListener(all));
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	private static long positive(String property, DataSize size) {
		if (size.toBytes() <= 0) {
			throw FastSessionStartupException.invalidProperty(property, size, "it must be positive",
					"Set " + property + " to a positive size, such as 64KB.");
		}
		return size.toBytes();
	}

	private static int positiveInt(String property, DataSize size) {
		return positiveInt(property, (int) Math.min(Integer.MAX_VALUE, positive(property, size)));
	}

	private static int positiveInt(String property, int value) {
		if (value <= 0) {
			throw FastSessionStartupException.invalidProperty(property, value, "it must be positive",
					"Set " + property + " to a positive number.");
		}
		return value;
	}

	@Bean
	@ConditionalOnMissingBean
	PrincipalNameResolver fastSessionPrincipalNameResolver(FastSessionProperties properties) {
		PrincipalNameResolver attribute = PrincipalNameResolver.attribute(properties.getPrincipalAttribute());
		return SPRING_SECURITY_PRESENT ? SecurityResolver.create(attribute) : attribute;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionIdResolver fastSessionIdResolver(FastSessionProperties properties) {
		List<FastSessionProperties.Source> sources = new ArrayList<>(
				new LinkedHashSet<>(properties.getSessionId().getSources()));
		if (sources.isEmpty()) {
			throw FastSessionStartupException.invalidProperty("fastsession.session-id.sources", "[]",
					"at least one source is required",
					"Set fastsession.session-id.sources to cookie, header or query (or several, comma-separated).");
		}
		List<SessionIdResolver> resolvers = new ArrayList<>();
		for (FastSessionProperties.Source source : sources) {
			resolvers.add(switch (source) {
				case COOKIE -> cookieResolver(properties.getCookie());
				case HEADER -> new HeaderSessionIdResolver(properties.getSessionId().getHeaderName());
				case QUERY -> {
					logger.warn("fastsession.session-id.sources includes 'query': session ids in URLs leak through"
							+ " access logs, browser history and Referer headers. Prefer the cookie or header source.");
					yield new QuerySessionIdResolver(properties.getSessionId().getQueryParam());
				}
			});
		}
		return (resolvers.size() == 1) ? resolvers.get(0) : new CompositeSessionIdResolver(resolvers);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionWebFilter fastSessionWebFilter(SessionManager manager, SessionIdResolver resolver) {
		return new SessionWebFilter(manager, resolver);
	}

	/**
	 * Makes WebFlux's sessions (exchange.getSession(), @SessionAttribute, Spring
	 * Security) the same as fastsession's. Backs off, as Spring Boot's WebFlux
	 * auto-configuration does, when the application defines a bean of that name.
	 */
	@Bean(name = WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
	@ConditionalOnMissingBean(name = WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
	@ConditionalOnProperty(name = "fastsession.webflux.enabled", matchIfMissing = true)
	WebSessionManager fastSessionWebSessionManager(Environment environment) {
		IgnoredSessionProperties.warn(environment);
		return new FastSessionWebSessionManager();
	}

	@Bean
	@ConditionalOnMissingBean(name = "fastSessionWebFluxConfigurer")
	WebFluxConfigurer fastSessionWebFluxConfigurer() {
		return new WebFluxConfigurer() {

			@Override
			public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
				configurer.addCustomResolver(new SessionArgumentResolver());
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean(name = "fastSessionExpiredSessionCleaner")
	ExpiredSessionCleaner fastSessionExpiredSessionCleaner(SessionManager manager, FastSessionProperties properties) {
		Duration interval = properties.getCleanupInterval();
		if (interval.isNegative() || interval.isZero()) {
			throw FastSessionStartupException.invalidProperty("fastsession.cleanup-interval", interval,
					"it must be positive", "Set fastsession.cleanup-interval to a positive duration such as 1m.");
		}
		return new ExpiredSessionCleaner(manager, interval);
	}

	/**
	 * Classes Java serialization may read back: the configured allow-list, plus Spring
	 * Security's session values when it is present.
	 */
	private static List<String> typedClasses(FastSessionProperties properties) {
		List<String> classes = new ArrayList<>(properties.getJdkCodec().getAllowedClasses());
		if (SPRING_SECURITY_PRESENT) {
			classes.addAll(SPRING_SECURITY_CLASSES);
		}
		return classes;
	}

	private static CookieSessionIdResolver cookieResolver(FastSessionProperties.Cookie cookie) {
		checkBrowserRules(cookie);
		CookieSessionIdResolver resolver = new CookieSessionIdResolver();
		PropertyMapper map = PropertyMapper.get();
		map.from(cookie::getName).to(resolver::setName);
		map.from(cookie::getDomain).to(resolver::setDomain);
		map.from(cookie::getPath).to(resolver::setPath);
		map.from(cookie::isHttpOnly).to(resolver::setHttpOnly);
		map.from(cookie::getSecure).to(resolver::setSecure);
		resolver.setSameSite(cookie.getSameSite().attributeValue());
		Duration maxAge = cookie.getMaxAge();
		if (maxAge != null) {
			if (maxAge.isNegative() || maxAge.isZero()) {
				throw FastSessionStartupException.invalidProperty("fastsession.cookie.max-age", maxAge,
						"a session cookie's lifetime must be positive",
						"Remove fastsession.cookie.max-age for a browser-session cookie, or set a positive duration.");
			}
			resolver.setMaxAge(maxAge);
		}
		return resolver;
	}

	/**
	 * Refuse cookie settings that browsers are specified to reject, where the session
	 * would otherwise be lost without a word: a {@code __Host-} or {@code __Secure-}
	 * cookie is dropped unless it is {@code Secure} (so {@code secure: auto} loses it on
	 * every plain-HTTP request), a {@code __Host-} cookie also with a {@code Domain} or a
	 * path other than {@code /}, and a {@code SameSite=None} cookie that is never
	 * {@code Secure}. Browsers match the prefixes case-insensitively.
	 */
	private static void checkBrowserRules(FastSessionProperties.Cookie cookie) {
		String name = cookie.getName();
		boolean hostPrefix = name.regionMatches(true, 0, "__Host-", 0, 7);
		boolean securePrefix = name.regionMatches(true, 0, "__Secure-", 0, 9);
		if ((hostPrefix || securePrefix) && cookie.getSecure() != CookieSessionIdResolver.SecureMode.ALWAYS) {
			throw FastSessionStartupException.invalidProperty("fastsession.cookie.secure",
					cookie.getSecure().name().toLowerCase(Locale.ROOT),
					"browsers drop a cookie named " + name + " unless it is Secure on every response",
					"Set fastsession.cookie.secure=always, or choose a cookie name without the "
							+ name.substring(0, name.indexOf('-') + 1) + " prefix.");
		}
		if (hostPrefix && cookie.getDomain() != null) {
			throw FastSessionStartupException.invalidProperty("fastsession.cookie.domain", cookie.getDomain(),
					"browsers drop a __Host- cookie that names a domain",
					"Remove fastsession.cookie.domain (the cookie is then the request's host's only), or choose a"
							+ " cookie name without the __Host- prefix.");
		}
		if (hostPrefix && !"/".equals(cookie.getPath())) {
			throw FastSessionStartupException.invalidProperty("fastsession.cookie.path", cookie.getPath(),
					"browsers drop a __Host- cookie whose path is not /",
					"Remove fastsession.cookie.path, or choose a cookie name without the __Host- prefix.");
		}
		if (cookie.getSameSite() == FastSessionProperties.SameSite.NONE
				&& cookie.getSecure() == CookieSessionIdResolver.SecureMode.NEVER) {
			throw FastSessionStartupException.invalidProperty("fastsession.cookie.same-site", "none",
					"browsers drop a SameSite=None cookie that is not Secure, and fastsession.cookie.secure is never",
					"Set fastsession.cookie.secure to auto or always, or choose another fastsession.cookie.same-site.");
		}
	}

	private static void checkTimeouts(FastSessionProperties properties) {
		checkPositive("fastsession.timeout", properties.getTimeout());
		checkPositive("fastsession.store-timeout", properties.getStoreTimeout());
		Duration absolute = properties.getAbsoluteTimeout();
		if (absolute != null) {
			checkPositive("fastsession.absolute-timeout", absolute);
			if (absolute.compareTo(properties.getTimeout()) < 0) {
				throw FastSessionStartupException.invalidProperty("fastsession.absolute-timeout", absolute,
						"it is shorter than fastsession.timeout (" + properties.getTimeout()
								+ "), so the idle timeout could never apply",
						"Make fastsession.absolute-timeout at least as long as fastsession.timeout, or remove it.");
			}
		}
		double threshold = properties.getTouchThreshold();
		if (!(threshold >= 0 && threshold <= 1)) {
			throw FastSessionStartupException.invalidProperty("fastsession.touch-threshold", threshold,
					"it is a fraction of the idle timeout",
					"Set fastsession.touch-threshold between 0 and 1 (default 0.25).");
		}
	}

	private static void checkPositive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw FastSessionStartupException.invalidProperty(property, value, "it must be positive",
					"Set " + property + " to a positive duration.");
		}
	}

	/**
	 * Kept in its own class so that Spring Security is only loaded when present.
	 */
	private static final class SecurityResolver {

		static PrincipalNameResolver create(PrincipalNameResolver fallback) {
			return new SecurityContextPrincipalNameResolver(fallback);
		}

	}

}
