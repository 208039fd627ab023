package io.fastsession.benchmarks;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fastsession.id.HmacSessionIdCodec;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.id.SessionKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
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

	/**
	 * The random source alone, at the JDK's default DRBG strength (128) and at the one
	 * the default generator uses (256): what 32 random bytes cost at each.
	 */
	@Benchmark
	public byte[] drbg32Bytes(Drbg drbg) {
		byte[] bytes = new byte[32];
		drbg.random.nextBytes(bytes);
		return bytes;
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

	/**
	 * A DRBG instantiated at a given security strength.
	 */
	@State(Scope.Thread)
	public static class Drbg {

		@Param({ "128", "256" })
		int strength;

		SecureRandom random;

		@Setup
		public void instantiate() throws NoSuchAlgorithmException {
			this.random = SecureRandom.getInstance("DRBG",
					DrbgParameters.instantiation(this.strength, DrbgParameters.Capability.RESEED_ONLY, null));
			this.random.nextBytes(new byte[1]);
		}

	}

}
