package io.fastsession.benchmarks;

import java.net.URI;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * A request without a body, as a server hands it to Spring's {@code HttpHandler}, with
 * its cookies parsed the way Reactor Netty parses them (Netty's strict decoder). Unlike
 * Spring's {@code MockServerHttpRequest} it has a native request (itself): the mock
 * throws an exception to anyone who asks, which a real server's request never does.
 */
final class InProcessRequest extends AbstractServerHttpRequest {

	InProcessRequest(HttpMethod method, URI uri, @Nullable String cookieHeader) {
		super(method, uri, null, headers(cookieHeader));
	}

	private static HttpHeaders headers(@Nullable String cookieHeader) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.HOST, "localhost");
		if (cookieHeader != null) {
			headers.set(HttpHeaders.COOKIE, cookieHeader);
		}
		return headers;
	}

	@Override
	protected MultiValueMap<String, HttpCookie> initCookies() {
		MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
		for (String header : getHeaders().getOrEmpty(HttpHeaders.COOKIE)) {
			for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
				cookies.add(cookie.name(), new HttpCookie(cookie.name(), cookie.value()));
			}
		}
		return cookies;
	}

	@Override
	protected @Nullable SslInfo initSslInfo() {
		return null;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T getNativeRequest() {
		return (T) this;
	}

	@Override
	public Flux<DataBuffer> getBody() {
		return Flux.empty();
	}

}
