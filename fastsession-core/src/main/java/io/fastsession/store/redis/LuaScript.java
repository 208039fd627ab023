package io.fastsession.store.redis;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script with its SHA-1 computed once. Spring Data's
 * {@code DefaultRedisScript.getSha1()} takes a lock on every call, and every write asks
 * for the SHA-1 on an event loop: under concurrent writes the event loops queued on that
 * lock (BlockHound reported the wait during the cluster failover test).
 *
 * @param text the script
 * @param sha1 its SHA-1, as {@code EVALSHA} wants it
 * @author fastsession authors
 */
record LuaScript(String text, String sha1) {

	LuaScript(String text) {
		this(text, RedisScript.of(text).getSha1());
	}

}
