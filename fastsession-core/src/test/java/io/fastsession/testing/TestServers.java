package io.fastsession.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Where the tests find their servers: the servers named by environment variables, which
 * {@code ./test.sh} sets (using the machine's own servers or starting private ones);
 * without them, Testcontainers on a machine with Docker (Redis and memcached; there is no
 * such fallback for the Redis Cluster). When neither is there, the test fails with a
 * message saying what to do: a missing server is never a silent skip. Tests that need a
 * server are marked {@link NeedsServer}.
 */
public final class TestServers {

	/** Redis standalone, as a {@code redis://host:port} URL. */
	public static final String REDIS_URL = "FASTSESSION_TEST_REDIS_URL";

	/** Redis Cluster nodes, as {@code host:port,host:port,...}. */
	public static final String REDIS_CLUSTER_NODES = "FASTSESSION_TEST_REDIS_CLUSTER_NODES";

	/** The redis-server binary for tests that run a server of their own. */
	public static final String REDIS_SERVER_BINARY = "FASTSESSION_TEST_REDIS_SERVER";

	/** memcached servers, as {@code host:port,host:port}; the first one is used alone. */
	public static final String MEMCACHED_SERVERS = "FASTSESSION_TEST_MEMCACHED_SERVERS";

	/** The memcached binary for tests that run servers of their own. */
	public static final String MEMCACHED_SERVER_BINARY = "FASTSESSION_TEST_MEMCACHED_SERVER";

	private static final Map<String, GenericContainer<?>> containers = new ConcurrentHashMap<>();

	private TestServers() {
	}

	/**
	 * Return the URL of a Redis server for tests that share it (each uses its own key
	 * prefix).
	 * @return a {@code redis://} URL
	 */
	public static String redisUrl() {
		String url = System.getenv(REDIS_URL);
		if (url != null && !url.isBlank()) {
			return url;
		}
		if (dockerAvailable()) {
			GenericContainer<?> redis = containers.computeIfAbsent("redis", (name) -> {
				GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
				container.start();
				return container;
			});
			return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
		}
		throw missing(REDIS_URL, "redis://127.0.0.1:6379");
	}

	/**
	 * Return the nodes of a Redis Cluster (three masters with replicas) for the cluster
	 * tests.
	 * @return {@code host:port} entries
	 */
	public static List<String> redisClusterNodes() {
		String nodes = System.getenv(REDIS_CLUSTER_NODES);
		if (nodes != null && !nodes.isBlank()) {
			return Arrays.stream(nodes.split(",")).map(String::strip).filter((node) -> !node.isEmpty()).toList();
		}
		// No Testcontainers fallback: a cluster's nodes announce addresses that only work
		// from inside Docker's network. ./test.sh starts one from redis-server.
		throw missing(REDIS_CLUSTER_NODES, "127.0.0.1:7000,...,127.0.0.1:7005");
	}

	/**
	 * Return the redis-server binary for tests that start, stop and reconfigure a server
	 * of their own.
	 * @return the binary
	 */
	public static String redisServerBinary() {
		String binary = System.getenv(REDIS_SERVER_BINARY);
		return (binary != null && !binary.isBlank()) ? binary : "redis-server";
	}

	/**
	 * Return the memcached servers shared by the tests (at least two, so that the
	 * contract runs on one node and on two).
	 * @return {@code host:port} entries
	 */
	public static List<String> memcachedServers() {
		String servers = System.getenv(MEMCACHED_SERVERS);
		if (servers != null && !servers.isBlank()) {
			List<String> list = Arrays.stream(servers.split(","))
				.map(String::strip)
				.filter((s) -> !s.isEmpty())
				.toList();
			if (list.size() >= 2) {
				return list;
			}
		}
		if (dockerAvailable()) {
			List<String> nodes = new java.util.ArrayList<>();
			for (String name : List.of("memcached-1", "memcached-2")) {
				GenericContainer<?> node = containers.computeIfAbsent(name, (key) -> {
					GenericContainer<?> container = new GenericContainer<>("memcached:1.6-alpine")
						.withExposedPorts(11211);
					container.start();
					return container;
				});
				nodes.add(node.getHost() + ":" + node.getMappedPort(11211));
			}
			return nodes;
		}
		throw missing(MEMCACHED_SERVERS, "127.0.0.1:11211,127.0.0.1:11212");
	}

	/**
	 * Return the memcached binary for tests that run servers of their own.
	 * @return the binary
	 */
	public static String memcachedServerBinary() {
		String binary = System.getenv(MEMCACHED_SERVER_BINARY);
		return (binary != null && !binary.isBlank()) ? binary : "memcached";
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | NoClassDefFoundError ex) {
			return false;
		}
	}

	private static IllegalStateException missing(String variable, String example) {
		return new IllegalStateException("No test server: set " + variable + " (for example " + example
				+ "), or run the tests with ./test.sh, which provides every server they need. ./mvnw -Dquick verify"
				+ " runs only the tests that need none.");
	}

}
