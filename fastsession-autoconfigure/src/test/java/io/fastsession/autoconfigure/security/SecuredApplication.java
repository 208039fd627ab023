package io.fastsession.autoconfigure.security;

import java.security.Principal;
import java.util.Map;

import io.fastsession.Session;
import io.fastsession.security.InvalidateLeastUsedSessions;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.PreventLoginServerMaximumSessionsExceededHandler;
import org.springframework.security.web.server.authentication.SessionLimit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

/**
 * A small application secured with form login, whose login state lives in fastsession
 * through the WebSession bridge.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SecuredApplication {

	/**
	 * Form login; with {@code test.max-sessions} set, Spring Security's
	 * concurrent-session control on the session registry fastsession configures, ending
	 * the least recently used session ({@code test.when-exceeded=invalidate}) or refusing
	 * the login ({@code prevent}).
	 */
	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, Environment environment) {
		http.authorizeExchange(
				(exchanges) -> exchanges.pathMatchers("/public", "/visit").permitAll().anyExchange().authenticated())
			.formLogin((form) -> {
			})
			.logout((logout) -> logout.logoutUrl("/logout"))
			.csrf(ServerHttpSecurity.CsrfSpec::disable);
		int maxSessions = environment.getProperty("test.max-sessions", Integer.class, 0);
		if (maxSessions > 0) {
			boolean prevent = "prevent".equals(environment.getProperty("test.when-exceeded"));
			http.sessionManagement((sessions) -> sessions
				.concurrentSessions((concurrent) -> concurrent.maximumSessions(SessionLimit.of(maxSessions))
					.maximumSessionsExceededHandler(prevent ? new PreventLoginServerMaximumSessionsExceededHandler()
							: new InvalidateLeastUsedSessions())));
		}
		return http.build();
	}

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(
				User.withUsername("alice").password("{noop}secret").roles("USER").build(),
				User.withUsername("bob").password("{noop}secret").roles("USER").build(),
				User.withUsername("carol").password("{noop}secret").roles("USER").build(),
				User.withUsername("dave").password("{noop}secret").roles("USER").build());
	}

	@RestController
	static class Pages {

		@GetMapping("/public")
		String open() {
			return "open";
		}

		@GetMapping("/visit")
		String visit(Session session) {
			session.set("visited", true);
			return "visited";
		}

		@GetMapping("/me")
		Mono<Map<String, Object>> me(Principal principal, Session session, ServerWebExchange exchange) {
			return exchange.getSession()
				.map((webSession) -> Map.of("user", principal.getName(), "sameSession",
						sameSession(session, webSession)));
		}

		private static boolean sameSession(Session session, WebSession webSession) {
			return session.getId().equals(webSession.getId());
		}

	}

}
