package io.fastsession.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link SessionCommands} on Lettuce's asynchronous API, over the native connection of
 * Boot's {@link LettuceConnectionFactory}: the shared connection (a dedicated one when
 * the factory does not share), standalone, Sentinel or Cluster alike, with the factory's
 * client options, timeouts and topology refresh. A command is one future, adapted to a
 * {@code Mono}; Spring Data's reactive connection wraps Lettuce's reactive API in several
 * more operators per command, and on a session write that was the largest share of the
 * client's CPU.
 *
 * @author fastsession authors
 */
final class LettuceAsyncCommands implements SessionCommands {

	private final LazyConnection<RedisClusterAsyncCommands<byte[], byte[]>> connection;

	@SuppressWarnings("unchecked")
	LettuceAsyncCommands(LettuceConnectionFactory connectionFactory) {
		this.connection = new LazyConnection<>(
				() -> (RedisClusterAsyncCommands<byte[], byte[]>) connectionFactory.getConnection()
					.getNativeConnection());
	}

	@Override
	public Mono<Map<String, byte[]>> hashFields(byte[] key) {
		return send((redis) -> redis.hgetall(key)).map(LettuceAsyncCommands::byName);
	}

	@Override
	public Mono<Long> script(LuaScript script, byte[] key, byte[][] args) {
		byte[][] keys = { key };
		return this.<Long>send((redis) -> redis.evalsha(script.sha1(), ScriptOutputType.INTEGER, keys, args))
			.onErrorResume(SessionCommands::isNoScript, (ex) -> send((redis) -> redis
				.eval(script.text().getBytes(StandardCharsets.UTF_8), ScriptOutputType.INTEGER, keys, args)));
	}

	@Override
	public Mono<Long> delete(byte[] key) {
		return send((redis) -> redis.del(key));
	}

	/**
	 * Send a command at subscription: on the open connection directly, else once it is
	 * open.
	 */
	private <T> Mono<T> send(Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletionStage<T>> command) {
		RedisClusterAsyncCommands<byte[], byte[]> redis = this.connection.now();
		if (redis != null) {
			return Mono.fromCompletionStage(() -> command.apply(redis));
		}
		return this.connection.get().flatMap((open) -> Mono.fromCompletionStage(command.apply(open)));
	}

	private static Map<String, byte[]> byName(Map<byte[], byte[]> fields) {
		Map<String, byte[]> named = new HashMap<>(fields.size() * 2);
		fields.forEach((field, value) -> named.put(new String(field, StandardCharsets.UTF_8), value));
		return named;
	}

}
