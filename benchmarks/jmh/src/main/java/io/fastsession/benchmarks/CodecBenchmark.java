package io.fastsession.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fastsession.codec.JdkAttributeCodec;
import io.fastsession.codec.JsonAttributeCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Attribute codecs: a counter and a small object, through JSON and Java serialization.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

	private final JsonAttributeCodec json = new JsonAttributeCodec();

	private final JdkAttributeCodec jdk = new JdkAttributeCodec();

	private final Map<String, Object> cart = Map.of("user", "alice", "items", List.of("book", "pen"), "total", 42);

	private final byte[] counterJson = this.json.encode(41);

	private final byte[] cartJson = this.json.encode(this.cart);

	private final byte[] counterJdk = this.jdk.encode(41);

	@Benchmark
	public byte[] jsonEncodeCounter() {
		return this.json.encode(41);
	}

	@Benchmark
	public Integer jsonDecodeCounter() {
		return this.json.decode(this.counterJson, Integer.class);
	}

	@Benchmark
	public byte[] jsonEncodeObject() {
		return this.json.encode(this.cart);
	}

	@Benchmark
	public Object jsonDecodeObject() {
		return this.json.decode(this.cartJson);
	}

	@Benchmark
	public byte[] jdkEncodeCounter() {
		return this.jdk.encode(41);
	}

	@Benchmark
	public Integer jdkDecodeCounter() {
		return this.jdk.decode(this.counterJdk, Integer.class);
	}

}
