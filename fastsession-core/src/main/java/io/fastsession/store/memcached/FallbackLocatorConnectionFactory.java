package io.fastsession.store.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;

import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionObserver;
import net.spy.memcached.FailureMode;
import net.spy.memcached.HashAlgorithm;
import net.spy.memcached.MemcachedConnection;
import net.spy.memcached.MemcachedNode;
import net.spy.memcached.NodeLocator;
import net.spy.memcached.OperationFactory;
import net.spy.memcached.auth.AuthDescriptor;
import net.spy.memcached.metrics.MetricCollector;
import net.spy.memcached.metrics.MetricType;
import net.spy.memcached.ops.DeleteOperation;
import net.spy.memcached.ops.Operation;
import net.spy.memcached.transcoders.Transcoder;
import org.jspecify.annotations.Nullable;

/**
 * The connection factory built by spymemcached's {@code ConnectionFactoryBuilder}, with
 * its locator wrapped in a {@link FallbackNodeLocator}, and connections that never send a
 * delete to another node than its key's own. Everything else is delegated; the connection
 * is created here so that it asks this factory, not the delegate, for its locator.
 *
 * @author fastsession authors
 */
final class FallbackLocatorConnectionFactory implements ConnectionFactory {

	private final ConnectionFactory delegate;

	FallbackLocatorConnectionFactory(ConnectionFactory delegate) {
		this.delegate = delegate;
	}

	@Override
	public MemcachedConnection createConnection(List<InetSocketAddress> addresses) throws IOException {
		return new OwnNodeDeleteConnection(getReadBufSize(), this, addresses, getInitialObservers(), getFailureMode(),
				getOperationFactory());
	}

	@Override
	public NodeLocator createLocator(List<MemcachedNode> nodes) {
		return new FallbackNodeLocator(this.delegate.createLocator(nodes));
	}

	@Override
	public MemcachedNode createMemcachedNode(SocketAddress address, SocketChannel channel, int bufSize) {
		return this.delegate.createMemcachedNode(address, channel, bufSize);
	}

	@Override
	public BlockingQueue<Operation> createOperationQueue() {
		return this.delegate.createOperationQueue();
	}

	@Override
	public BlockingQueue<Operation> createReadOperationQueue() {
		return this.delegate.createReadOperationQueue();
	}

	@Override
	public BlockingQueue<Operation> createWriteOperationQueue() {
		return this.delegate.createWriteOperationQueue();
	}

	@Override
	public long getOpQueueMaxBlockTime() {
		return this.delegate.getOpQueueMaxBlockTime();
	}

	@Override
	public ExecutorService getListenerExecutorService() {
		return this.delegate.getListenerExecutorService();
	}

	@Override
	public boolean isDefaultExecutorService() {
		return this.delegate.isDefaultExecutorService();
	}

	@Override
	public OperationFactory getOperationFactory() {
		return this.delegate.getOperationFactory();
	}

	@Override
	public long getOperationTimeout() {
		return this.delegate.getOperationTimeout();
	}

	@Override
	public boolean isDaemon() {
		return this.delegate.isDaemon();
	}

	@Override
	public boolean useNagleAlgorithm() {
		return this.delegate.useNagleAlgorithm();
	}

	@Override
	public Collection<ConnectionObserver> getInitialObservers() {
		return this.delegate.getInitialObservers();
	}

	@Override
	public FailureMode getFailureMode() {
		return this.delegate.getFailureMode();
	}

	@Override
	public Transcoder<Object> getDefaultTranscoder() {
		return this.delegate.getDefaultTranscoder();
	}

	@Override
	public boolean shouldOptimize() {
		return this.delegate.shouldOptimize();
	}

	@Override
	public int getReadBufSize() {
		return this.delegate.getReadBufSize();
	}

	@Override
	public HashAlgorithm getHashAlg() {
		return this.delegate.getHashAlg();
	}

	@Override
	public long getMaxReconnectDelay() {
		return this.delegate.getMaxReconnectDelay();
	}

	@Override
	public @Nullable AuthDescriptor getAuthDescriptor() {
		return this.delegate.getAuthDescriptor();
	}

	@Override
	public int getTimeoutExceptionThreshold() {
		return this.delegate.getTimeoutExceptionThreshold();
	}

	@Override
	public MetricType enableMetrics() {
		return this.delegate.enableMetrics();
	}

	@Override
	public @Nullable MetricCollector getMetricCollector() {
		return this.delegate.getMetricCollector();
	}

	@Override
	public long getAuthWaitTime() {
		return this.delegate.getAuthWaitTime();
	}

	/**
	 * A connection that cancels a delete, or any operation on a principal index item,
	 * whose key's own node is down instead of sending it to another node, as the
	 * redistributing failure mode does with every operation (also when it moves the
	 * operations queued for a node that was just lost). A delete on another node would
	 * find nothing and report success, while the session survives on its own node for
	 * every instance that can still reach it: a logout, a regenerate's delete or a revoke
	 * must fail (503) instead. An index written on another node would be missed by every
	 * other instance's "log out everywhere". Session reads and writes keep their failure
	 * mode.
	 */
	static final class OwnNodeDeleteConnection extends MemcachedConnection {

		OwnNodeDeleteConnection(int bufSize, ConnectionFactory factory, List<InetSocketAddress> addresses,
				Collection<ConnectionObserver> observers, FailureMode failureMode, OperationFactory operationFactory)
				throws IOException {
			super(bufSize, factory, addresses, observers, failureMode, operationFactory);
		}

		@Override
		protected void addOperation(String key, Operation operation) {
			if ((operation instanceof DeleteOperation || key.contains(MemcachedSessionStore.PRINCIPAL_INDEX))
					&& !this.locator.getPrimary(key).isActive()) {
				operation.cancel();
				return;
			}
			super.addOperation(key, operation);
		}

	}

}
