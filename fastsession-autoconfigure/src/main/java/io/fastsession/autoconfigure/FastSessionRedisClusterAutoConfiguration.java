package io.fastsession.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * What the redis provider needs from Lettuce on a Redis Cluster: a topology that follows
 * a failover. Lettuce refreshes its view of the cluster only when told to, and Spring
 * Boot tells it nothing by default, so after a master dies and its replica is promoted
 * the application keeps sending that master's slots to the dead node until it restarts.
 * When the provider is {@code redis} and Boot builds a cluster connection, this fills in
 * the refresh settings the application did not set:
 * <ul>
 * <li>periodic refresh every {@value #PERIOD_SECONDS}s, unless
 * {@code spring.data.redis.lettuce.cluster.refresh.period} is set;</li>
 * <li>adaptive refresh on every trigger (persistent reconnects, MOVED, ASK, uncovered
 * slots, unknown nodes), at most once per {@value #ADAPTIVE_TIMEOUT_SECONDS}s rather than
 * Lettuce's 30s, unless {@code spring.data.redis.lettuce.cluster.refresh.adaptive} is set
 * (to {@code false} to turn it off);</li>
 * <li>{@code dynamic-refresh-sources} as configured.</li>
 * </ul>
 * It runs before the application's own {@link LettuceClientOptionsBuilderCustomizer}s,
 * which can change any of it. A connection factory the application built itself is not
 * touched: when it is a Lettuce cluster factory without periodic refresh, start-up logs a
 * warning naming the settings.
 *
 * @author fastsession authors
 */
@AutoConfiguration(beforeName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ LettuceClientOptionsBuilderCustomizer.class, ClusterClientOptions.class,
		LettuceConnectionFactory.class })
@ConditionalOnSessionProvider(FastSessionProperties.Provider.REDIS)
public final class FastSessionRedisClusterAutoConfiguration {

	/** The periodic refresh when the application sets none. */
	static final long PERIOD_SECONDS = 5;

	/** The least time between two adaptive refreshes. */
	static final long ADAPTIVE_TIMEOUT_SECONDS = 1;

	static final String REFRESH = "spring.data.redis.lettuce.cluster.refresh.";

	private static final Log logger = LogFactory.getLog(FastSessionRedisClusterAutoConfiguration.class);

	@Bean
	static LettuceClientOptionsBuilderCustomizer fastSessionClusterTopologyRefresh(Environment environment) {
		return new TopologyRefreshDefaults(Binder.get(environment));
	}

	@Bean
	static SmartInitializingSingleton fastSessionClusterTopologyRefreshCheck(
			ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory) {
		return () -> {
			String problem = check(connectionFactory.getIfAvailable());
			if (problem != null) {
				logger.warn(problem);
			}
		};
	}

	/**
	 * Say what is missing for sessions to follow a failover, or nothing.
	 * @param factory the application's connection factory
	 * @return the warning, or {@code null} when the topology is refreshed periodically
	 * (or the factory is not a Lettuce cluster factory)
	 */
	static @Nullable String check(@Nullable ReactiveRedisConnectionFactory factory) {
		if (!(factory instanceof LettuceConnectionFactory lettuce) || !lettuce.isClusterAware()) {
			return null;
		}
		ClientOptions options = lettuce.getClientConfiguration().getClientOptions().orElse(null);
		ClusterTopologyRefreshOptions refresh = (options instanceof ClusterClientOptions cluster)
				? cluster.getTopologyRefreshOptions() : ClusterTopologyRefreshOptions.create();
		if (refresh.isPeriodicRefreshEnabled()) {
			return null;
		}
		String what = refresh.getAdaptiveRefreshTriggers().isEmpty() ? "never refreshes"
				: "refreshes only on adaptive triggers, at most every "
						+ refresh.getAdaptiveRefreshTimeout().toSeconds() + "s,";
		return "fastsession.provider is 'redis' on a Redis Cluster, but the Lettuce connection factory " + what
				+ " its view of the cluster: after a failover, sessions on the failed master's slots can get 503"
				+ " until a refresh or a restart. Enable a periodic topology refresh and adaptive refresh in the"
				+ " ClusterClientOptions of your LettuceConnectionFactory (for example"
				+ " ClusterTopologyRefreshOptions.builder().enablePeriodicRefresh(Duration.ofSeconds(" + PERIOD_SECONDS
				+ ")).enableAllAdaptiveRefreshTriggers().adaptiveRefreshTriggersTimeout(Duration.ofSeconds("
				+ ADAPTIVE_TIMEOUT_SECONDS + "))), or let Spring Boot build the factory from spring.data.redis.*, where"
				+ " fastsession sets them. See docs/providers/redis.md.";
	}

	/**
	 * Fills in the refresh settings that the application did not set, keeping those it
	 * did.
	 */
	static final class TopologyRefreshDefaults implements LettuceClientOptionsBuilderCustomizer, Ordered {

		private final Binder binder;

		TopologyRefreshDefaults(Binder binder) {
			this.binder = binder;
		}

		@Override
		public void customize(ClientOptions.Builder builder) {
			if (!(builder instanceof ClusterClientOptions.Builder cluster)) {
				return;
			}
			boolean adaptive = this.binder.bind(REFRESH + "adaptive", Boolean.class).orElse(true);
			Duration period = this.binder.bind(REFRESH + "period", Duration.class)
				.orElse(Duration.ofSeconds(PERIOD_SECONDS));
			boolean dynamicSources = this.binder.bind(REFRESH + "dynamic-refresh-sources", Boolean.class)
				.orElse(ClusterTopologyRefreshOptions.DEFAULT_DYNAMIC_REFRESH_SOURCES);
			ClusterTopologyRefreshOptions.Builder refresh = ClusterTopologyRefreshOptions.builder()
				.dynamicRefreshSources(dynamicSources)
				.enablePeriodicRefresh(period);
			if (adaptive) {
				refresh.enableAllAdaptiveRefreshTriggers()
					.adaptiveRefreshTriggersTimeout(Duration.ofSeconds(ADAPTIVE_TIMEOUT_SECONDS));
			}
			cluster.topologyRefreshOptions(refresh.build());
		}

		/**
		 * First, so that the application's own customizers have the last word.
		 */
		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
