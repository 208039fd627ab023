package io.fastsession.testing;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Lettuce connection factories for tests, started and ready to use; destroy them after
 * use.
 */
public final class RedisConnections {

	private RedisConnections() {
	}

	public static LettuceConnectionFactory standalone(String url) {
		URI uri = URI.create(url);
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
		return started(new LettuceConnectionFactory(configuration, clientConfiguration()));
	}

	public static LettuceConnectionFactory cluster(List<String> nodes) {
		return started(new LettuceConnectionFactory(new RedisClusterConfiguration(nodes), clientConfiguration()));
	}

	private static LettuceClientConfiguration clientConfiguration() {
		return LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build();
	}

	private static LettuceConnectionFactory started(LettuceConnectionFactory factory) {
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
