package io.fastsession.store.memcached;

import net.spy.memcached.CachedData;
import net.spy.memcached.transcoders.Transcoder;

/**
 * Stores bytes as they are: no Java serialization, no compression, flags 0.
 */
final class RawTranscoder implements Transcoder<byte[]> {

	private final int maxSize;

	RawTranscoder(int maxSize) {
		this.maxSize = maxSize;
	}

	@Override
	public boolean asyncDecode(CachedData data) {
		return false;
	}

	@Override
	public CachedData encode(byte[] value) {
		return new CachedData(0, value, this.maxSize);
	}

	@Override
	public byte[] decode(CachedData data) {
		return data.getData();
	}

	@Override
	public int getMaxSize() {
		return this.maxSize;
	}

}
