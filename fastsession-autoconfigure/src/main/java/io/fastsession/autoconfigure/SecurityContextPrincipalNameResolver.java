package io.fastsession.autoconfigure;

import io.fastsession.PrincipalNameResolver;
import io.fastsession.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;

/**
 * Takes the principal of a session from Spring Security's security context, as WebFlux's
 * security context repository stores it, and falls back to another resolver for sessions
 * without one.
 */
final class SecurityContextPrincipalNameResolver implements PrincipalNameResolver {

	private final PrincipalNameResolver fallback;

	SecurityContextPrincipalNameResolver(PrincipalNameResolver fallback) {
		this.fallback = fallback;
	}

	@Override
	public @Nullable String resolvePrincipalName(Session session) {
		Object context = session
			.get(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME);
		if (context instanceof SecurityContext securityContext) {
			Authentication authentication = securityContext.getAuthentication();
			if (authentication != null && authentication.isAuthenticated()
					&& !(authentication instanceof AnonymousAuthenticationToken)) {
				return authentication.getName();
			}
		}
		return this.fallback.resolvePrincipalName(session);
	}

}
