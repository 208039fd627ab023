package io.fastsession.store.redis;

import io.fastsession.MutableClock;
import io.fastsession.store.SessionStore;
import io.fastsession.testing.NeedsServer;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/**
 * The same contract and layout as {@link RedisSessionStoreTests}, on a connection factory
 * that is not Boot's Lettuce factory: the store then sends every command through Spring
 * Data Redis's reactive connection instead of Lettuce's asynchronous API.
 */
@NeedsServer
class RedisReactiveConnectionStoreTests extends RedisSessionStoreTests {

	@Override
	protected SessionStore createStore(MutableClock clock) {
		return new RedisSessionStore(new ReactiveOnly(connectionFactory), PREFIX, clock);
	}

	@Override
	Class<? extends SessionCommands> expectedCommands() {
		return ReactiveConnectionCommands.class;
	}

	/**
	 * A factory that offers only the reactive interface, as a wrapper of another would.
	 */
	private record ReactiveOnly(ReactiveRedisConnectionFactory delegate) implements ReactiveRedisConnectionFactory {

		@Override
		public ReactiveRedisConnection getReactiveConnection() {
			return this.delegate.getReactiveConnection();
		}

		@Override
		public ReactiveRedisClusterConnection getReactiveClusterConnection() {
			return this.delegate.getReactiveClusterConnection();
		}

		@Override
		public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return this.delegate.translateExceptionIfPossible(ex);
		}

	}

}
