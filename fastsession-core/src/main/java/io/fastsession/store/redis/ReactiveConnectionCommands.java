package io.fastsession.store.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * {@link SessionCommands} on Spring Data Redis's reactive connection, for any
 * {@link ReactiveRedisConnectionFactory}; also the connection of the store's rarer
 * commands ({@code SCAN}, the principal index).
 *
 * @author fastsession authors
 */
final class ReactiveConnectionCommands implements SessionCommands {

	private final LazyConnection<ReactiveRedisConnection> connection;

	ReactiveConnectionCommands(ReactiveRedisConnectionFactory connectionFactory) {
		this.connection = new LazyConnection<>(connectionFactory::getReactiveConnection);
	}

	/**
	 * The reactive connection, opened on first use.
	 * @return the connection
	 */
	Mono<ReactiveRedisConnection> connection() {
		return this.connection.get();
	}

	@Override
	public Mono<Map<String, byte[]>> hashFields(byte[] key) {
		return connection().flatMap((redis) -> redis.hashCommands()
			.hGetAll(ByteBuffer.wrap(key))
			.collectMap((entry) -> RedisSessionStore.string(entry.getKey()),
					(entry) -> RedisSessionStore.bytes(entry.getValue())));
	}

	@Override
	public Mono<Long> script(LuaScript script, byte[] key, byte[][] args) {
		return connection().flatMap((redis) -> redis.scriptingCommands()
			.<Long>evalSha(script.sha1(), ReturnType.INTEGER, 1, buffers(key, args))
			.onErrorResume(SessionCommands::isNoScript,
					(ex) -> redis.scriptingCommands()
						.eval(ByteBuffer.wrap(script.text().getBytes(StandardCharsets.UTF_8)), ReturnType.INTEGER, 1,
								buffers(key, args)))
			.next());
	}

	@Override
	public Mono<Long> delete(byte[] key) {
		return connection().flatMap((redis) -> redis.keyCommands().del(ByteBuffer.wrap(key)));
	}

	private static ByteBuffer[] buffers(byte[] key, byte[][] args) {
		ByteBuffer[] keysAndArgs = new ByteBuffer[args.length + 1];
		keysAndArgs[0] = ByteBuffer.wrap(key);
		for (int i = 0; i < args.length; i++) {
			keysAndArgs[i + 1] = ByteBuffer.wrap(args[i]);
		}
		return keysAndArgs;
	}

}
