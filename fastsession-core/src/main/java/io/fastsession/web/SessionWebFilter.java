package io.fastsession.web;

import io.fastsession.SessionManager;
import io.fastsession.SessionStoreException;
import io.fastsession.SessionTooLargeException;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Wires a {@link SessionManager} into every exchange. The filter itself costs no store
 * access: the session is loaded only when the handler asks for it (a {@code Session}
 * parameter or {@link Sessions#get}), and committed once, when the response commits or
 * the handler completes, whichever comes first. Store failures become
 * {@code 503 Service Unavailable}; a session too large for its store becomes
 * {@code 507 Insufficient Storage}. The exchange's session is also in the Reactor context
 * of the filter chain, for code that has no exchange at hand
 * ({@link Sessions#current()}).
 * <p>
 * Ordered at {@value #DEFAULT_ORDER}, ahead of Spring Security's filter chain.
 *
 * @author fastsession authors
 */
public final class SessionWebFilter implements WebFilter, Ordered {

	/** Default filter order. */
	public static final int DEFAULT_ORDER = -1000;

	private static final String DESCRIPTION = SessionWebFilter.class.getName();

	private final SessionManager manager;

	private final SessionIdResolver resolver;

	private int order = DEFAULT_ORDER;

	public SessionWebFilter(SessionManager manager, SessionIdResolver resolver) {
		this.manager = manager;
		this.resolver = resolver;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ConnectionEventLoop eventLoop = ConnectionEventLoop.of(exchange);
		ServerWebExchange handled = (eventLoop != null) ? new EventLoopExchange(exchange, eventLoop) : exchange;
		RequestSession session = new RequestSession(this.manager, this.resolver, handled, eventLoop);
		handled.getAttributes().put(RequestSession.ATTRIBUTE, session);
		// The session commits when the response commits (registered on first demand)
		// or, at the latest, here: before the adapter completes the response, so that a
		// store failure reaches the exception handlers as a 503 even for responses
		// without a body.
		// What follows the chain (the commit at the latest, the adapter's last write,
		// error handling, the end of the exchange) runs on the connection's event loop:
		// see ConnectionEventLoop.
		return new ExchangeCompletion(chain.filter(handled), session, eventLoop, SessionWebFilter::mapError);
	}

	private static Throwable mapError(Throwable error) {
		return (error instanceof SessionStoreException storeFailure) ? toResponseStatus(storeFailure) : error;
	}

	private static ResponseStatusException toResponseStatus(SessionStoreException ex) {
		if (ex instanceof SessionTooLargeException) {
			return new ResponseStatusException(HttpStatus.INSUFFICIENT_STORAGE, "Session too large for its store", ex);
		}
		return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Session store unavailable", ex);
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	public void setOrder(int order) {
		this.order = order;
	}

	public SessionManager getManager() {
		return this.manager;
	}

	/**
	 * The filter's class name: Spring's filter chain puts each filter's
	 * {@code toString()} on a checkpoint of every request, so it is a constant, not the
	 * identity hash that {@link Object#toString()} would build anew for each request.
	 */
	@Override
	public String toString() {
		return DESCRIPTION;
	}

}
