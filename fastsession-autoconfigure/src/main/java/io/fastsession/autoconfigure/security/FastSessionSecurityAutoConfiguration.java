package io.fastsession.autoconfigure.security;

import io.fastsession.SessionManager;
import io.fastsession.autoconfigure.FastSessionAutoConfiguration;
import io.fastsession.security.FastSessionReactiveSessionRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.session.ReactiveSessionRegistry;

/**
 * With Spring Security present, a {@link ReactiveSessionRegistry} on fastsession's
 * principal index, which Spring Security's concurrent-session control picks up: a user's
 * sessions are counted and ended in the store, on every instance.
 *
 * @author fastsession authors
 */
@AutoConfiguration(after = FastSessionAutoConfiguration.class)
@ConditionalOnClass(ReactiveSessionRegistry.class)
@ConditionalOnBean(SessionManager.class)
public final class FastSessionSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ReactiveSessionRegistry.class)
	FastSessionReactiveSessionRegistry fastSessionReactiveSessionRegistry(SessionManager manager) {
		return new FastSessionReactiveSessionRegistry(manager);
	}

}
