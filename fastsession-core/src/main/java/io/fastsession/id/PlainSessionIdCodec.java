package io.fastsession.id;

/**
 * The identity {@link SessionIdCodec}.
 */
final class PlainSessionIdCodec implements SessionIdCodec {

	static final PlainSessionIdCodec INSTANCE = new PlainSessionIdCodec();

	private PlainSessionIdCodec() {
	}

	@Override
	public String encode(String sessionId) {
		return sessionId;
	}

	@Override
	public String decode(String value) {
		return value;
	}

	@Override
	public String toString() {
		return "plain";
	}

}
