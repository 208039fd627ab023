package io.fastsession.benchmarks.counter;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * An experiment, off unless {@code bench.commit-action=true}: every response gets a
 * commit action that does nothing, as Spring Security's {@code HttpHeaderWriterWebFilter}
 * gives every response one (it writes the security headers). Spring's response runs its
 * commit actions through a pipeline of its own only when there is at least one, so in an
 * application with Spring Security that pipeline runs on every request whether a session
 * library adds an action or not. With this flag on both sides, a comparison measures what
 * a session library adds to such an application; without it, to one with no commit action
 * at all, which is what the benchmarks' counter application is.
 */
@Component
@ConditionalOnProperty(name = "bench.commit-action", havingValue = "true")
class CommitActionFilter implements WebFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		exchange.getResponse().beforeCommit(Mono::empty);
		return chain.filter(exchange);
	}

	/** Where Spring Security's filter chain sits. */
	@Override
	public int getOrder() {
		return -100;
	}

}
