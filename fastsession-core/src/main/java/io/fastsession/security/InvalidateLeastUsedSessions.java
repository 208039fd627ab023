package io.fastsession.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.core.session.ReactiveSessionInformation;
import org.springframework.security.web.server.authentication.MaximumSessionsContext;
import org.springframework.security.web.server.authentication.ServerMaximumSessionsExceededHandler;

/**
 * When a login would give a user more sessions than allowed, ends the user's least
 * recently used other sessions, deleting them from the store: their cookies stop working
 * on every instance. Spring Security's own handler of that name needs WebFlux's in-memory
 * session store; this one works with {@link FastSessionReactiveSessionRegistry} on any
 * provider.
 *
 * @author fastsession authors
 */
public final class InvalidateLeastUsedSessions implements ServerMaximumSessionsExceededHandler {

	@Override
	public Mono<Void> handle(MaximumSessionsContext context) {
		String current = context.getCurrentSession().getId();
		List<ReactiveSessionInformation> others = new ArrayList<>(context.getSessions());
		others.removeIf((session) -> session.getSessionId().equals(current));
		others.sort(Comparator.comparing(ReactiveSessionInformation::getLastAccessTime));
		int excess = others.size() - context.getMaximumSessionsAllowed() + 1;
		if (excess <= 0) {
			return Mono.empty();
		}
		return Flux.fromIterable(others.subList(0, excess)).concatMap(ReactiveSessionInformation::invalidate).then();
	}

}
