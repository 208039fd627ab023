package io.fastsession.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fastsession.autoconfigure.FastSessionProperties.Provider;
import io.fastsession.store.SessionStore;
import io.fastsession.store.file.FileSessionStore;
import io.fastsession.store.memcached.MemcachedClients;
import io.fastsession.store.memcached.MemcachedSessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import io.fastsession.store.redis.RedisSessionStore;
import net.spy.memcached.MemcachedClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.util.unit.DataSize;

/**
 * One configuration per provider, tried in order; the last one reports why none applied.
 */
final class StoreConfigurations {

	private StoreConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Caffeine.class)
	@ConditionalOnMissingBean(SessionStore.class)
	@ConditionalOnSessionProvider(Provider.MEMORY)
	static class Memory {

		@Bean
		CaffeineSessionStore fastSessionStore(FastSessionProperties properties) {
			long maxSessions = properties.getMemory().getMaxSessions();
			if (maxSessions <= 0) {
				throw FastSessionStartupException.invalidProperty("fastsession.memory.max-sessions", maxSessions,
						"it must be positive", "Set fastsession.memory.max-sessions to a positive number.");
			}
			DataSize maxSize = properties.getMemory().getMaxSize();
			long maxBytes = (maxSize != null) ? maxSize.toBytes() : Runtime.getRuntime().maxMemory() / 4;
			if (maxBytes <= 0) {
				throw FastSessionStartupException.invalidProperty("fastsession.memory.max-size", maxSize,
						"it must be positive", "Set fastsession.memory.max-size to a positive size, such as 256MB.");
			}
			CaffeineSessionStore store = new CaffeineSessionStore(maxSessions, maxBytes, Clock.systemUTC());
			StartupLog.storeReady(Provider.MEMORY, "this JVM's memory (at most " + maxSessions + " sessions and "
					+ DataSize.ofBytes(maxBytes).toMegabytes() + "MB; they end when the application stops)");
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SessionStore.class)
	@ConditionalOnSessionProvider(Provider.FILE)
	static class File {

		@Bean
		FileSessionStore fastSessionStore(FastSessionProperties properties) {
			Path directory = properties.getFile().getDirectory();
			if (directory == null) {
				throw FastSessionStartupException.missingProperty("fastsession.file.directory",
						"the file provider needs a directory to keep session files in",
						"Set fastsession.file.directory to a writable directory that only this application uses,"
								+ " for example --fastsession.file.directory=/var/lib/myapp/sessions.");
			}
			FileSessionStore store;
			try {
				store = new FileSessionStore(directory);
			}
			catch (RuntimeException ex) {
				throw FastSessionStartupException.unusablePath("fastsession.file.directory",
						directory.toAbsolutePath().normalize(), ex);
			}
			StartupLog.storeReady(Provider.FILE, "files under " + store.getDirectory());
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveRedisConnectionFactory.class, RedisSessionStore.class })
	@ConditionalOnMissingBean(SessionStore.class)
	@ConditionalOnSessionProvider(Provider.REDIS)
	static class Redis {

		@Bean
		RedisSessionStore fastSessionStore(FastSessionProperties properties,
				ObjectProvider<ReactiveRedisConnectionFactory> connectionFactory) {
			ReactiveRedisConnectionFactory factory = connectionFactory.getIfAvailable();
			if (factory == null) {
				throw new FastSessionStartupException(
						"fastsession.provider is 'redis', but there is no ReactiveRedisConnectionFactory bean.",
						"Add org.springframework.boot:spring-boot-starter-data-redis-reactive, which configures one"
								+ " from spring.data.redis.*, or define a ReactiveRedisConnectionFactory bean.");
			}
			RedisSessionStore store = new RedisSessionStore(factory, properties.getRedis().getKeyPrefix(),
					Clock.systemUTC());
			StartupLog.storeReady(Provider.REDIS,
					RedisLocations.describe(factory) + ", keys " + properties.getRedis().getKeyPrefix() + "*");
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MemcachedClient.class, MemcachedSessionStore.class })
	@ConditionalOnMissingBean(SessionStore.class)
	@ConditionalOnSessionProvider(Provider.MEMCACHED)
	static class Memcached {

		@Bean
		MemcachedSessionStore fastSessionStore(FastSessionProperties properties) {
			FastSessionProperties.Memcached memcached = properties.getMemcached();
			if (memcached.getServers().isEmpty()) {
				throw FastSessionStartupException.missingProperty("fastsession.memcached.servers",
						"the memcached provider needs at least one server",
						"Set fastsession.memcached.servers to host:port entries, for example 127.0.0.1:11211.");
			}
			try {
				MemcachedSessionStore.checkKeyPrefix(memcached.getKeyPrefix());
			}
			catch (IllegalArgumentException ex) {
				throw FastSessionStartupException.invalidProperty("fastsession.memcached.key-prefix",
						memcached.getKeyPrefix(), ex.getMessage(), "Use printable ASCII without spaces.");
			}
			MemcachedClient client = MemcachedClients.create(String.join(",", memcached.getServers()),
					memcached.getOperationTimeout(),
					memcached.getProtocol() == FastSessionProperties.MemcachedProtocol.BINARY,
					MemcachedClients.NodeFailure.valueOf(memcached.getNodeFailure().name()));
			MemcachedSessionStore store = MemcachedSessionStore.owning(client, memcached.getKeyPrefix(),
					(int) memcached.getMaxItemSize().toBytes(), Clock.systemUTC());
			StartupLog.storeReady(Provider.MEMCACHED, "memcached at " + String.join(", ", memcached.getServers())
					+ ", keys " + memcached.getKeyPrefix() + "*");
			return store;
		}

	}

	/**
	 * Applies when no store was configured: explains why instead of failing later with a
	 * missing bean.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SessionStore.class)
	static class Missing {

		@Bean
		SessionStore fastSessionStore(FastSessionProperties properties, ApplicationContext context) {
			ProviderSetup setup = ProviderSetup.of(properties);
			List<ProviderSetup.Library> missing = setup.missing(context.getClassLoader());
			if (!missing.isEmpty()) {
				throw FastSessionStartupException.librariesMissing(setup, missing);
			}
			throw FastSessionStartupException.notConfigured(setup);
		}

	}

}
