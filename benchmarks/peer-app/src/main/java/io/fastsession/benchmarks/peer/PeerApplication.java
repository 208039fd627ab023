package io.fastsession.benchmarks.peer;

import java.util.Map;

import io.fastsession.Session;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

/**
 * The sample's counter API on the platform's own session support, for side-by-side
 * benchmarks. {@code --bench.mode} picks the variant:
 * <ul>
 * <li>{@code none}: no sessions at all, a handler without parameters</li>
 * <li>{@code none-arg}: no sessions, a handler taking one resolved argument (the
 * exchange), as any session parameter costs: the ceiling the targets use</li>
 * <li>{@code webflux}: WebFlux's in-memory {@link WebSession} store</li>
 * <li>{@code spring-session}: Spring Session's reactive Redis repository (set
 * {@code spring.session.data.redis.repository-type=indexed} for the indexed one)</li>
 * <li>{@code fastsession}: fastsession, with a {@code Session} parameter, on whatever
 * {@code fastsession.provider} says</li>
 * </ul>
 * The run script excludes the auto-configuration of the session libraries a mode does not
 * use.
 */
@SpringBootApplication
public class PeerApplication {

	public static void main(String[] args) {
		SpringApplication.run(PeerApplication.class, args);
	}

	/**
	 * The counter without sessions.
	 */
	@RestController
	@ConditionalOnProperty(name = "bench.mode", havingValue = "none")
	static class NoSessionCounter {

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
	static class NoSessionOneArgumentCounter {

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
