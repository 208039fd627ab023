package io.fastsession.benchmarks.counter;

import java.util.Map;

import io.fastsession.Session;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

/**
 * The sample's counter API ({@code GET} and {@code POST /api/counter}) on each session
 * library the benchmarks compare; an application imports this class and
 * {@code --bench.mode} picks the variant:
 * <ul>
 * <li>{@code none}: no sessions at all, a handler without parameters</li>
 * <li>{@code none-arg}: no sessions, a handler taking one resolved argument (the
 * exchange), as any session parameter costs: the ceiling the targets use</li>
 * <li>{@code webflux}: WebFlux's {@link WebSession}, on its in-memory store</li>
 * <li>{@code spring-session}: the same handler, on whatever store Spring Session
 * configures</li>
 * <li>{@code fastsession}: a fastsession {@link Session} parameter, on whatever
 * {@code fastsession.provider} says</li>
 * </ul>
 * {@code --bench.commit-action=true} gives every response a commit action, as Spring
 * Security does ({@link CommitActionFilter}).
 */
@Import({ CounterControllers.NoSession.class, CounterControllers.NoSessionOneArgument.class,
		CounterControllers.WebSessionCounter.class, CounterControllers.FastSessionCounter.class,
		CommitActionFilter.class })
public final class CounterControllers {

	private CounterControllers() {
	}

	/**
	 * The counter without sessions.
	 */
	@RestController
	@ConditionalOnProperty(name = "bench.mode", havingValue = "none")
	static class NoSession {

		@GetMapping("/api/counter")
		Map<String, Integer> read() {
			return Map.of("count", 0);
		}

		@PostMapping("/api/counter")
		Map<String, Integer> increment() {
			return Map.of("count", 1);
		}

	}

	/**
	 * The counter without sessions, with one argument for Spring to resolve per request.
	 */
	@RestController
	@ConditionalOnProperty(name = "bench.mode", havingValue = "none-arg")
	static class NoSessionOneArgument {

		@GetMapping("/api/counter")
		Map<String, Integer> read(ServerWebExchange exchange) {
			return Map.of("count", 0);
		}

		@PostMapping("/api/counter")
		Map<String, Integer> increment(ServerWebExchange exchange) {
			return Map.of("count", 1);
		}

	}

	/**
	 * The counter in a {@link WebSession}, as an application written for WebFlux's
	 * sessions or Spring Session does it.
	 */
	@RestController
	@ConditionalOnExpression("'${bench.mode:webflux}' == 'webflux' or '${bench.mode:webflux}' == 'spring-session'")
	static class WebSessionCounter {

		@GetMapping("/api/counter")
		Mono<Map<String, Integer>> read(ServerWebExchange exchange) {
			return exchange.getSession().map((session) -> Map.of("count", session.getAttributeOrDefault("count", 0)));
		}

		@PostMapping("/api/counter")
		Mono<Map<String, Integer>> increment(ServerWebExchange exchange) {
			return exchange.getSession().map((session) -> {
				int count = session.getAttributeOrDefault("count", 0) + 1;
				session.getAttributes().put("count", count);
				return Map.of("count", count);
			});
		}

	}

	/**
	 * The counter in a fastsession {@link Session}.
	 */
	@RestController
	@ConditionalOnProperty(name = "bench.mode", havingValue = "fastsession")
	static class FastSessionCounter {

		@GetMapping("/api/counter")
		Map<String, Integer> read(Session session) {
			return Map.of("count", session.getOrDefault("count", Integer.class, 0));
		}

		@PostMapping("/api/counter")
		Map<String, Integer> increment(Session session) {
			int count = session.getOrDefault("count", Integer.class, 0) + 1;
			session.set("count", count);
			return Map.of("count", count);
		}

	}

}
