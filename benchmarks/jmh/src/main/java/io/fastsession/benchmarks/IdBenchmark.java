package io.fastsession.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fastsession.HmacSessionIdCodec;
import io.fastsession.RandomSessionIdGenerator;
import io.fastsession.SessionKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Session ids: generation, format validation, hashing to a store key, HMAC signing and
 * verification.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdBenchmark {

	private final RandomSessionIdGenerator generator = new RandomSessionIdGenerator();

	private final HmacSessionIdCodec signer = HmacSessionIdCodec
		.fromStrings(List.of("benchmark-signing-key-benchmark-signing-key"));

	private final String id = this.generator.generate();

	private final String signed = this.signer.encode(this.id);

	@Benchmark
	public String generate() {
		return this.generator.generate();
	}

	@Benchmark
	public boolean validate() {
		return this.generator.isValid(this.id);
	}

	@Benchmark
	public String hashToKey() {
		return SessionKeys.hash(this.id);
	}

	@Benchmark
	public String sign() {
		return this.signer.encode(this.id);
	}

	@Benchmark
	public String verify() {
		return this.signer.decode(this.signed);
	}

}
