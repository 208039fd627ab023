package io.fastsession.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * Carries the id in a cookie: {@code HttpOnly}, {@code SameSite=Lax} and path {@code /}
 * by default, {@code Secure} when the request came over HTTPS (directly or, per
 * {@code X-Forwarded-Proto} / {@code Forwarded}, through a TLS-terminating proxy).
 * Without a max-age the cookie lasts for the browser session; with one it is persistent
 * and renewed whenever the session's expiry moves.
 *
 * @author fastsession authors
 */
public final class CookieSessionIdResolver implements SessionIdResolver {

	/** Default cookie name. */
	public static final String DEFAULT_NAME = "SESSION";

	private String name = DEFAULT_NAME;

	private @Nullable String domain;

	private String path = "/";

	private boolean httpOnly = true;

	private SecureMode secure = SecureMode.AUTO;

	private @Nullable String sameSite = "Lax";

	private @Nullable Duration maxAge;

	@Override
	public List<String> resolveSessionIds(ServerWebExchange exchange) {
		List<HttpCookie> cookies = exchange.getRequest().getCookies().get(this.name);
		if (cookies == null || cookies.isEmpty()) {
			return List.of();
		}
		if (cookies.size() == 1) {
			return List.of(cookies.get(0).getValue());
		}
		return cookies.stream().map(HttpCookie::getValue).toList();
	}

	@Override
	public void setSessionId(ServerWebExchange exchange, String value) {
		exchange.getResponse().addCookie(cookie(exchange, value, this.maxAge));
	}

	@Override
	public boolean refreshSessionId(ServerWebExchange exchange, String value) {
		return refreshSessionId(exchange, () -> value);
	}

	@Override
	public boolean refreshSessionId(ServerWebExchange exchange, Supplier<String> value) {
		if (this.maxAge == null) {
			return false;
		}
		setSessionId(exchange, value.get());
		return true;
	}

	@Override
	public void expireSession(ServerWebExchange exchange) {
		exchange.getResponse().addCookie(cookie(exchange, "", Duration.ZERO));
	}

	private ResponseCookie cookie(ServerWebExchange exchange, String value, @Nullable Duration maxAge) {
		ResponseCookie.ResponseCookieBuilder builder = ResponseCookie.from(this.name, value)
			.path(this.path)
			.httpOnly(this.httpOnly)
			.secure(isSecure(exchange.getRequest()));
		if (this.domain != null) {
			builder.domain(this.domain);
		}
		if (this.sameSite != null) {
			builder.sameSite(this.sameSite);
		}
		if (maxAge != null) {
			builder.maxAge(maxAge);
		}
		return builder.build();
	}

	private boolean isSecure(ServerHttpRequest request) {
		return switch (this.secure) {
			case ALWAYS -> true;
			case NEVER -> false;
			case AUTO -> isHttps(request);
		};
	}

	static boolean isHttps(ServerHttpRequest request) {
		if (request.getSslInfo() != null || "https".equalsIgnoreCase(request.getURI().getScheme())) {
			return true;
		}
		// A client can only make its own cookie stricter by sending these, so they are
		// honoured even when the application does not process forwarded headers.
		String forwardedProto = request.getHeaders().getFirst("X-Forwarded-Proto");
		if (forwardedProto != null && "https".equalsIgnoreCase(forwardedProto.split(",")[0].strip())) {
			return true;
		}
		String forwarded = request.getHeaders().getFirst("Forwarded");
		return forwarded != null && forwarded.toLowerCase(Locale.ROOT).split(",")[0].contains("proto=https");
	}

	/**
	 * Set the cookie name; default {@value #DEFAULT_NAME}.
	 * @param name the name
	 */
	public void setName(String name) {
		if (!StringUtils.hasText(name)) {
			throw new IllegalArgumentException("Cookie name must not be empty");
		}
		this.name = name;
	}

	public String getName() {
		return this.name;
	}

	/**
	 * Set the cookie domain; default none (the request's host only).
	 * @param domain the domain, or {@code null}
	 */
	public void setDomain(@Nullable String domain) {
		this.domain = domain;
	}

	/**
	 * Set the cookie path; default {@code /}.
	 * @param path the path
	 */
	public void setPath(String path) {
		this.path = Objects.requireNonNull(path, "path");
	}

	/**
	 * Set whether scripts are denied the cookie; default {@code true}.
	 * @param httpOnly whether the cookie is HttpOnly
	 */
	public void setHttpOnly(boolean httpOnly) {
		this.httpOnly = httpOnly;
	}

	/**
	 * Set when the cookie is marked Secure; default {@link SecureMode#AUTO}.
	 * @param secure the mode
	 */
	public void setSecure(SecureMode secure) {
		this.secure = Objects.requireNonNull(secure, "secure");
	}

	/**
	 * Set the SameSite attribute; default {@code Lax}; {@code null} omits it.
	 * @param sameSite {@code Strict}, {@code Lax}, {@code None} or {@code null}
	 */
	public void setSameSite(@Nullable String sameSite) {
		this.sameSite = sameSite;
	}

	/**
	 * Set the cookie's max-age; default {@code null}, a cookie for the browser session.
	 * @param maxAge a positive duration, or {@code null}
	 */
	public void setMaxAge(@Nullable Duration maxAge) {
		if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
			throw new IllegalArgumentException(
					"Cookie max-age must be positive, or unset for a browser-session cookie");
		}
		this.maxAge = maxAge;
	}

	/**
	 * When the session cookie is marked {@code Secure}.
	 */
	public enum SecureMode {

		/** When the request came over HTTPS, directly or through a proxy. */
		AUTO,

		/** Always. */
		ALWAYS,

		/** Never. */
		NEVER

	}

}
