package io.fastsession.security;

import java.security.Principal;
import java.time.Instant;

import io.fastsession.Session;
import io.fastsession.SessionInfo;
import io.fastsession.SessionManager;
import io.fastsession.web.Sessions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.session.ReactiveSessionInformation;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A {@link ReactiveSessionRegistry} on fastsession's principal index, for Spring
 * Security's concurrent-session control
 * ({@code sessionManagement().concurrentSessions()}) on every provider and across
 * application instances: the sessions of a user are the ones the store holds for that
 * principal, whichever instance created them, and invalidating one deletes it from the
 * store, so its cookie stops working everywhere.
 * <p>
 * Session ids in this registry are store keys (hashes of the ids: stores never keep an
 * id), except for the session of the request being handled, which is listed under its id,
 * as Spring Security compares it with {@code WebSession.getId()}. Nothing needs to be
 * registered: a session enters its user's index when it is stored with a principal, and
 * leaves it when it is deleted or its principal changes, so
 * {@link #saveSessionInformation}, {@link #removeSessionInformation} and
 * {@link #updateLastAccessTime} do nothing, at no cost per request.
 * <p>
 * Spring Security's default handler for too many sessions needs WebFlux's in-memory
 * session store; use {@link InvalidateLeastUsedSessions} instead, or Spring Security's
 * {@code PreventLoginServerMaximumSessionsExceededHandler}.
 *
 * @author fastsession authors
 */
public final class FastSessionReactiveSessionRegistry implements ReactiveSessionRegistry {

	private final SessionManager manager;

	public FastSessionReactiveSessionRegistry(SessionManager manager) {
		this.manager = manager;
	}

	@Override
	public Flux<ReactiveSessionInformation> getAllSessions(Object principal) {
		String name = nameOf(principal);
		return currentSession().flatMapMany(
				(current) -> this.manager.findByPrincipal(name).map((info) -> information(principal, info, current)));
	}

	/**
	 * The request's own session, if it was stored when the request loaded it: its key and
	 * its id now.
	 */
	private Mono<Current> currentSession() {
		return Sessions.current().<Current>handle((session, sink) -> {
			String key = this.manager.getStoredKey(session);
			if (key != null) {
				sink.next(new Current(key, session.getId()));
			}
		}).defaultIfEmpty(Current.NONE);
	}

	private Information information(Object principal, SessionInfo info, Current current) {
		String id = info.key().equals(current.key()) ? current.id() : info.key();
		return new Information(principal, id, info.lastAccessTime(), info.key(), this.manager);
	}

	/**
	 * Does nothing: the session enters its user's index when it is stored.
	 */
	@Override
	public Mono<Void> saveSessionInformation(ReactiveSessionInformation information) {
		return Mono.empty();
	}

	/**
	 * Find a session by its key, as {@link #getAllSessions} lists it.
	 * @param sessionId a session's store key
	 * @return the session, or empty
	 */
	@Override
	public Mono<ReactiveSessionInformation> getSessionInformation(String sessionId) {
		return this.manager.findByKey(sessionId)
			.filter((info) -> info.principal() != null)
			.map((info) -> new Information(info.principal(), info.key(), info.lastAccessTime(), info.key(),
					this.manager));
	}

	/**
	 * Does nothing: a session leaves its user's index when it is deleted or its principal
	 * changes.
	 */
	@Override
	public Mono<ReactiveSessionInformation> removeSessionInformation(String sessionId) {
		return Mono.empty();
	}

	/**
	 * Does nothing: fastsession keeps each session's last access itself (throttled, see
	 * {@code fastsession.touch-threshold}).
	 */
	@Override
	public Mono<ReactiveSessionInformation> updateLastAccessTime(String sessionId) {
		return Mono.empty();
	}

	/**
	 * The name a principal is indexed under: what Spring Security's
	 * {@code Authentication.getName()} gives for it.
	 */
	static String nameOf(Object principal) {
		if (principal instanceof UserDetails user) {
			return user.getUsername();
		}
		if (principal instanceof AuthenticatedPrincipal authenticated) {
			return authenticated.getName();
		}
		if (principal instanceof Principal named) {
			return named.getName();
		}
		return principal.toString();
	}

	private record Current(String key, String id) {

		static final Current NONE = new Current("", "");

	}

	/**
	 * A user's session in the store: invalidating it deletes it.
	 */
	private static final class Information extends ReactiveSessionInformation {

		private static final long serialVersionUID = 1L;

		private final String key;

		private final transient SessionManager manager;

		Information(Object principal, String sessionId, Instant lastAccessTime, String key, SessionManager manager) {
			super(principal, sessionId, lastAccessTime);
			this.key = key;
			this.manager = manager;
		}

		@Override
		public Mono<Void> invalidate() {
			return this.manager.deleteByKey(this.key).then(super.invalidate());
		}

	}

}
