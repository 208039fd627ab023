package io.fastsession.store.memcached;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import net.spy.memcached.AddrUtil;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Builds the spymemcached client of the memcached provider: Ketama consistent hashing
 * over the servers (adding or losing one moves only its share of the sessions), binary or
 * text protocol, an operation timeout, and what happens to operations for a node that is
 * down.
 *
 * @author fastsession authors
 */
public final class MemcachedClients {

	private static final String LOGGER_PROPERTY = "net.spy.log.LoggerImpl";

	private static final Log logger = LogFactory.getLog(MemcachedClients.class);

	private MemcachedClients() {
	}

	/**
	 * Create a client. Connections are opened in the background; the call does not wait
	 * for them.
	 * @param servers {@code host:port} entries separated by commas or spaces
	 * @param operationTimeout how long an operation may take
	 * @param binary whether to use the binary protocol (otherwise text)
	 * @param nodeFailure what to do with operations for a node that is down
	 * @return the client
	 */
	public static MemcachedClient create(String servers, Duration operationTimeout, boolean binary,
			NodeFailure nodeFailure) {
		routeLoggingToSlf4j();
		ConnectionFactoryBuilder builder = new ConnectionFactoryBuilder()
			.setProtocol(binary ? ConnectionFactoryBuilder.Protocol.BINARY : ConnectionFactoryBuilder.Protocol.TEXT)
			.setLocatorType(ConnectionFactoryBuilder.Locator.CONSISTENT)
			.setHashAlg(DefaultHashAlgorithm.KETAMA_HASH)
			.setOpTimeout(operationTimeout.toMillis())
			.setFailureMode(nodeFailure.failureMode)
			.setMaxReconnectDelay(5)
			// A full operation queue fails at once (a 503) instead of waiting.
			.setOpQueueMaxBlockTime(0)
			.setDaemon(true);
		MemcachedClient client;
		try {
			client = new MemcachedClient(new FallbackLocatorConnectionFactory(builder.build()),
					AddrUtil.getAddresses(servers.replace(',', ' ').strip()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the memcached client for " + servers, ex);
		}
		awaitConnections(client, operationTimeout);
		return client;
	}

	private static void awaitConnections(MemcachedClient client, Duration timeout) {
		long deadline = System.nanoTime() + Math.max(timeout.toNanos(), Duration.ofSeconds(1).toNanos());
		while (!client.getUnavailableServers().isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (!client.getUnavailableServers().isEmpty()) {
			logger.warn("memcached servers not reachable yet, retrying in the background: "
					+ client.getUnavailableServers());
		}
	}

	/**
	 * spymemcached logs to standard error by default; send it to SLF4J when the
	 * application has not chosen otherwise.
	 */
	private static void routeLoggingToSlf4j() {
		if (System.getProperty(LOGGER_PROPERTY) == null) {
			System.setProperty(LOGGER_PROPERTY, "net.spy.memcached.compat.log.SLF4JLogger");
		}
	}

	/**
	 * What happens to a request whose session lives on a node that is down.
	 */
	public enum NodeFailure {

		/**
		 * Its reads and writes go to another node (the next on the ring, or failing that
		 * any live node): the session is not found there and the request continues with a
		 * new session. Deletes never move: a logout, a regeneration or a revocation of a
		 * session whose node cannot be reached fails (503) until the node is back, since
		 * the session may still live there for instances that do reach it.
		 */
		NEW_SESSION(FailureMode.Redistribute),

		/**
		 * Its operations fail at once: the request gets 503 until the node is back.
		 */
		UNAVAILABLE(FailureMode.Cancel);

		private final FailureMode failureMode;

		NodeFailure(FailureMode failureMode) {
			this.failureMode = failureMode;
		}

	}

}
