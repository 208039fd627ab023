package io.fastsession.store.memcached;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import net.spy.memcached.MemcachedNode;
import net.spy.memcached.NodeLocator;

/**
 * A {@link NodeLocator} whose sequence of alternative nodes for a key always ends with
 * every node.
 * <p>
 * When a key's node is down and the failure mode redistributes, spymemcached takes the
 * first active node of {@link #getSequence(String)}. Its Ketama locator offers seven
 * rehashed positions on the ring and then gives up; with two nodes, about one key in 128
 * lands on the dead node all seven times, and its operations are sent to the dead node
 * and time out for as long as the node is down. This locator offers Ketama's alternatives
 * first, so placement is unchanged, then every node in the locator's fixed order, so a
 * live node is always found and the same key always finds the same one.
 *
 * @author fastsession authors
 */
final class FallbackNodeLocator implements NodeLocator {

	private final NodeLocator ring;

	FallbackNodeLocator(NodeLocator ring) {
		this.ring = ring;
	}

	@Override
	public MemcachedNode getPrimary(String key) {
		return this.ring.getPrimary(key);
	}

	@Override
	public Iterator<MemcachedNode> getSequence(String key) {
		return new Sequence(this.ring.getSequence(key), this.ring.getAll().iterator());
	}

	@Override
	public Collection<MemcachedNode> getAll() {
		return this.ring.getAll();
	}

	@Override
	public NodeLocator getReadonlyCopy() {
		return new FallbackNodeLocator(this.ring.getReadonlyCopy());
	}

	@Override
	public void updateLocator(List<MemcachedNode> nodes) {
		this.ring.updateLocator(nodes);
	}

	private static final class Sequence implements Iterator<MemcachedNode> {

		private final Iterator<MemcachedNode> alternatives;

		private final Iterator<MemcachedNode> all;

		Sequence(Iterator<MemcachedNode> alternatives, Iterator<MemcachedNode> all) {
			this.alternatives = alternatives;
			this.all = all;
		}

		@Override
		public boolean hasNext() {
			return this.alternatives.hasNext() || this.all.hasNext();
		}

		@Override
		public MemcachedNode next() {
			if (this.alternatives.hasNext()) {
				return this.alternatives.next();
			}
			if (this.all.hasNext()) {
				return this.all.next();
			}
			throw new NoSuchElementException();
		}

	}

}
