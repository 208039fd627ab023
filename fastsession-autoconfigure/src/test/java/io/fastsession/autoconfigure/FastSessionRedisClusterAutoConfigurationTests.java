package io.fastsession.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lettuce topology refresh that the redis provider fills in on a Redis Cluster, and
 * the start-up check for connection factories the application built itself. Nothing here
 * connects: the factories are only configured.
 */
class FastSessionRedisClusterAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, FastSessionRedisClusterAutoConfiguration.class))
		.withPropertyValues("fastsession.provider=redis", "spring.data.redis.cluster.nodes=127.0.0.1:7000");

	@Test
	void clusterWithoutRefreshSettingsGetsPeriodicAndFastAdaptiveRefresh() {
		this.runner.run((context) -> {
			ClusterTopologyRefreshOptions refresh = refresh(context);
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
			assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.values());
			assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(refresh.useDynamicRefreshSources()).isTrue();
			assertThat(FastSessionRedisClusterAutoConfiguration.check(factory(context))).isNull();
		});
	}

	@Test
	void refreshPropertiesTheApplicationSetAreKept() {
		this.runner
			.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.adaptive=false",
					"spring.data.redis.lettuce.cluster.refresh.period=30s",
					"spring.data.redis.lettuce.cluster.refresh.dynamic-refresh-sources=false")
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = refresh(context);
				assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				assertThat(refresh.useDynamicRefreshSources()).isFalse();
			});
	}

	@Test
	void adaptiveRefreshSetByTheApplicationGetsTheShortTimeout() {
		this.runner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.adaptive=true").run((context) -> {
			ClusterTopologyRefreshOptions refresh = refresh(context);
			assertThat(refresh.getAdaptiveRefreshTriggers()).isNotEmpty();
			assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Test
	void theApplicationsOwnCustomizersHaveTheLastWord() {
		this.runner
			.withBean(LettuceClientOptionsBuilderCustomizer.class,
					() -> (builder) -> ((ClusterClientOptions.Builder) builder)
						.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().build()))
			.run((context) -> {
				ClusterTopologyRefreshOptions refresh = refresh(context);
				assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
			});
	}

	@Test
	void standaloneRedisIsLeftAlone() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					FastSessionRedisClusterAutoConfiguration.class))
			.withPropertyValues("fastsession.provider=redis", "spring.data.redis.url=redis://127.0.0.1:6379")
			.run((context) -> {
				ClientOptions options = factory(context).getClientConfiguration().getClientOptions().orElseThrow();
				assertThat(options).isNotInstanceOf(ClusterClientOptions.class);
			});
	}

	@Test
	void otherProvidersDoNotTouchLettuce() {
		this.runner.withPropertyValues("fastsession.provider=memory").run((context) -> {
			assertThat(context).doesNotHaveBean(LettuceClientOptionsBuilderCustomizer.class);
			assertThat(refresh(context).isPeriodicRefreshEnabled()).isFalse();
		});
	}

	@Test
	void aClusterFactoryBuiltWithoutPeriodicRefreshIsReported() {
		LettuceConnectionFactory plain = new LettuceConnectionFactory(new RedisClusterConfiguration(),
				LettuceClientConfiguration.builder().build());
		assertThat(FastSessionRedisClusterAutoConfiguration.check(plain)).contains("never refreshes")
			.contains("enablePeriodicRefresh");
		LettuceConnectionFactory adaptiveOnly = new LettuceConnectionFactory(new RedisClusterConfiguration(),
				LettuceClientConfiguration.builder()
					.clientOptions(ClusterClientOptions.builder()
						.topologyRefreshOptions(
								ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
						.build())
					.build());
		assertThat(FastSessionRedisClusterAutoConfiguration.check(adaptiveOnly))
			.contains("only on adaptive triggers, at most every 30s");
		LettuceConnectionFactory periodic = new LettuceConnectionFactory(new RedisClusterConfiguration(),
				LettuceClientConfiguration.builder()
					.clientOptions(ClusterClientOptions.builder()
						.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
							.enablePeriodicRefresh(Duration.ofSeconds(10))
							.build())
						.build())
					.build());
		assertThat(FastSessionRedisClusterAutoConfiguration.check(periodic)).isNull();
		assertThat(FastSessionRedisClusterAutoConfiguration.check(new LettuceConnectionFactory())).isNull();
	}

	private static LettuceConnectionFactory factory(ApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class);
	}

	private static ClusterTopologyRefreshOptions refresh(ApplicationContext context) {
		ClientOptions options = factory(context).getClientConfiguration().getClientOptions().orElseThrow();
		return ((ClusterClientOptions) options).getTopologyRefreshOptions();
	}

}
