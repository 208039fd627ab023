package io.fastsession.autoconfigure;

import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.springframework.data.redis.connection.NamedNode;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Describes where a Redis connection factory leads, for fastsession's start-up line: the
 * nodes and database, never the credentials. Only reads the factory's configuration.
 */
final class RedisLocations {

	private RedisLocations() {
	}

	static String describe(ReactiveRedisConnectionFactory factory) {
		if (!(factory instanceof LettuceConnectionFactory lettuce)) {
			return "Redis through " + factory.getClass().getSimpleName();
		}
		RedisClusterConfiguration cluster = lettuce.getClusterConfiguration();
		if (lettuce.isClusterAware() && cluster != null) {
			return "the Redis Cluster at " + nodes(cluster.getClusterNodes());
		}
		RedisSentinelConfiguration sentinel = lettuce.getSentinelConfiguration();
		if (lettuce.isRedisSentinelAware() && sentinel != null) {
			NamedNode master = sentinel.getMaster();
			String name = (master != null) ? master.getName() : null;
			return "Redis master '" + name + "' of the Sentinels at " + nodes(sentinel.getSentinels()) + ", database "
					+ lettuce.getDatabase();
		}
		return "Redis at " + lettuce.getHostName() + ":" + lettuce.getPort() + ", database " + lettuce.getDatabase();
	}

	private static String nodes(Iterable<RedisNode> nodes) {
		return StreamSupport.stream(nodes.spliterator(), false)
			.map(RedisNode::asString)
			.collect(Collectors.joining(", "));
	}

}
