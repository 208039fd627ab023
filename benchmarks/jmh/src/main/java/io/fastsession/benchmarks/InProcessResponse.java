package io.fastsession.benchmarks;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;

/**
 * A response whose body is read and released as a server would write it, and whose
 * cookies become {@code Set-Cookie} lines when it commits. Keeps its body as text for the
 * benchmark's own checks when asked to.
 */
final class InProcessResponse extends AbstractServerHttpResponse {

	private final boolean keepBody;

	private final StringBuilder body = new StringBuilder();

	private @Nullable String setCookie;

	InProcessResponse(boolean keepBody) {
		super(DefaultDataBufferFactory.sharedInstance);
		this.keepBody = keepBody;
	}

	String body() {
		return this.body.toString();
	}

	/** The first {@code Set-Cookie} line, or {@code null}. */
	@Nullable String setCookie() {
		return this.setCookie;
	}

	@Override
	protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
		return Flux.from(body).doOnNext(this::write).then();
	}

	@Override
	protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return Flux.from(body).concatMap(this::writeWithInternal).then();
	}

	private void write(DataBuffer buffer) {
		if (this.keepBody) {
			this.body.append(buffer.toString(StandardCharsets.UTF_8));
		}
		DataBufferUtils.release(buffer);
	}

	@Override
	protected void applyStatusCode() {
	}

	@Override
	protected void applyHeaders() {
	}

	@Override
	protected void applyCookies() {
		for (ResponseCookie cookie : getCookies().toSingleValueMap().values()) {
			String line = cookie.toString();
			if (this.setCookie == null) {
				this.setCookie = line;
			}
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T getNativeResponse() {
		return (T) this;
	}

}
