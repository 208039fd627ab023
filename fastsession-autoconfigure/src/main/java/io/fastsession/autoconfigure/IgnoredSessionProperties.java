package io.fastsession.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Warns about Spring Boot's {@code server.reactive.session.*} properties when fastsession
 * manages WebFlux's sessions: they configure the in-memory session manager that
 * fastsession replaces, so they would otherwise be ignored without a word.
 */
final class IgnoredSessionProperties {

	private static final Log logger = LogFactory.getLog(FastSessionAutoConfiguration.class);

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("server.reactive.session");

	/**
	 * What to set instead, by the name under {@code server.reactive.session}.
	 */
	private static final Map<String, String> REPLACEMENTS = Map.of("timeout", "fastsession.timeout", "max-sessions",
			"fastsession.memory.max-sessions", "cookie.name", "fastsession.cookie.name", "cookie.domain",
			"fastsession.cookie.domain", "cookie.path", "fastsession.cookie.path", "cookie.http-only",
			"fastsession.cookie.http-only", "cookie.secure", "fastsession.cookie.secure", "cookie.same-site",
			"fastsession.cookie.same-site", "cookie.max-age", "fastsession.cookie.max-age");

	private IgnoredSessionProperties() {
	}

	static void warn(Environment environment) {
		Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().filter(PREFIX::isAncestorOf).forEach(names::add);
			}
		}
		for (ConfigurationPropertyName name : names) {
			String suffix = name.subName(PREFIX.getNumberOfElements()).toString();
			String replacement = REPLACEMENTS.get(suffix);
			logger.warn(name + " is set, but fastsession manages this application's sessions and ignores it: "
					+ ((replacement != null) ? "set " + replacement + " instead."
							: "fastsession has no such setting (see fastsession.* in its configuration reference)."));
		}
	}

}
