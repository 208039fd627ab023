package io.fastsession.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound about waits in the libraries under fastsession that are short lock
 * hand-offs between threads, not blocking I/O, and that the libraries' own BlockHound
 * integrations do not cover yet:
 * <ul>
 * <li>Netty 4.2's {@code AdaptivePoolingAllocator} takes a {@code StampedLock} write lock
 * when a buffer magazine is freed or the magazines grow, so an event loop allocating a
 * read buffer can wait for another thread's allocation;</li>
 * <li>Lettuce 6.x's {@code SharedLock} guards the shared connection's writers with a
 * {@code ReentrantLock}, so an event loop dispatching a command can wait for another's
 * enqueue;</li>
 * <li>Lettuce's cluster connection provider caches the connection of each slot under a
 * {@code ReentrantLock}, the first time a slot is used and again after every topology
 * refresh, so event loops writing to slots at the same moment wait for each other (seen
 * when the failover test's topology refresh reset the cache under load). It takes the
 * lock again when a new node connection completes, in lambdas that run later as the
 * connection future's completion, on Lettuce's event loop and outside the enclosing
 * method's frame: they are allowed by their compiled names in Lettuce 6.8 (seen when the
 * contract suite's concurrent logins opened a cluster node's first connection on two
 * threads at once; should a Lettuce upgrade renumber them, BlockHound names the new
 * lambda in the failure);</li>
 * <li>Jackson 3's {@code DeserializerCache} builds a type's deserializer once, under a
 * {@code ReentrantLock}, so the first requests that decode a type at the same moment wait
 * for each other (seen on the first concurrent logins of a keep-alive test).</li>
 * </ul>
 * Without these allowances BlockHound throws from inside those locks under load, which
 * leaves the allocator or the connection broken and later requests stuck: a failure
 * BlockHound causes, not one an application without it can see. Any other blocking call
 * on an event loop still fails the tests.
 */
public final class LibraryLocksBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "tryAllocate");
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free");
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
				"tryExpandMagazines");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
		builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider",
				"getWriteConnection");
		builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider",
				"getReadConnection");
		builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider",
				"lambda$getWriteConnection$0");
		builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider",
				"lambda$getReadConnection$4");
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
	}

}
