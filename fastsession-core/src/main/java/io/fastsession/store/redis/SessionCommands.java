package io.fastsession.store.redis;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * The Redis commands a request's session needs, one round trip each. Two ways to send
 * them: Lettuce's asynchronous API on the connection factory's shared connection
 * ({@link LettuceAsyncCommands}), which costs the least CPU per command, and Spring Data
 * Redis's reactive connection ({@link ReactiveConnectionCommands}) for any other
 * {@code ReactiveRedisConnectionFactory}. Every method is lazy: nothing is sent before
 * subscription, and each subscription sends its command again.
 *
 * @author fastsession authors
 */
interface SessionCommands {

	/**
	 * {@code HGETALL}.
	 * @param key the hash's key
	 * @return its fields by name, empty when the key is missing
	 */
	Mono<Map<String, byte[]>> hashFields(byte[] key);

	/**
	 * {@code EVALSHA} of a script on one key, loading the script with {@code EVAL} when
	 * the server has not seen it yet.
	 * @param script the script
	 * @param key its only key ({@code KEYS[1]})
	 * @param args its arguments ({@code ARGV})
	 * @return the script's integer result
	 */
	Mono<Long> script(LuaScript script, byte[] key, byte[][] args);

	/**
	 * {@code DEL}.
	 * @param key the key
	 * @return the number of keys removed
	 */
	Mono<Long> delete(byte[] key);

	/**
	 * Whether a failure is Redis's answer to a script it does not know.
	 * @param ex the failure
	 * @return {@code true} for {@code NOSCRIPT}
	 */
	static boolean isNoScript(Throwable ex) {
		return hasMessage(ex, "NOSCRIPT");
	}

	/**
	 * Whether a failure is Redis's answer to a command on a key of another type.
	 * @param ex the failure
	 * @return {@code true} for {@code WRONGTYPE}
	 */
	static boolean isWrongType(Throwable ex) {
		return hasMessage(ex, "WRONGTYPE");
	}

	private static boolean hasMessage(Throwable ex, String code) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains(code)) {
				return true;
			}
		}
		return false;
	}

}
