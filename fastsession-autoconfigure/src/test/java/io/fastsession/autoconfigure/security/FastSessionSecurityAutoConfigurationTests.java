package io.fastsession.autoconfigure.security;

import io.fastsession.autoconfigure.FastSessionAutoConfiguration;
import io.fastsession.security.FastSessionReactiveSessionRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class FastSessionSecurityAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, FastSessionAutoConfiguration.class,
				FastSessionSecurityAutoConfiguration.class));

	@Test
	void withSpringSecurityTheSessionRegistryIsFastsessions() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ReactiveSessionRegistry.class)
			.getBean(ReactiveSessionRegistry.class)
			.isInstanceOf(FastSessionReactiveSessionRegistry.class));
	}

	@Test
	void backsOffForTheApplicationsOwnRegistry() {
		this.runner.withBean(ReactiveSessionRegistry.class, InMemoryReactiveSessionRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(ReactiveSessionRegistry.class)
				.getBean(ReactiveSessionRegistry.class)
				.isInstanceOf(InMemoryReactiveSessionRegistry.class));
	}

	@Test
	void withoutSpringSecurityThereIsNoRegistry() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.security."))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(FastSessionReactiveSessionRegistry.class));
	}

}
