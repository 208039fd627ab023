package io.fastsession.benchmarks.peer;

import io.fastsession.benchmarks.counter.CounterControllers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The sample's counter API ({@link CounterControllers}) in one small application, on the
 * platform's own session support or on fastsession, for side-by-side load benchmarks.
 * {@code --bench.mode} picks the variant (see {@link CounterControllers}); for
 * {@code spring-session}, Spring Session's reactive Redis repository (set
 * {@code spring.session.data.redis.repository-type=indexed} for the indexed one). The run
 * script excludes the auto-configuration of the session libraries a mode does not use.
 */
@SpringBootApplication
@Import(CounterControllers.class)
public class PeerApplication {

	public static void main(String[] args) {
		SpringApplication.run(PeerApplication.class, args);
	}

}
