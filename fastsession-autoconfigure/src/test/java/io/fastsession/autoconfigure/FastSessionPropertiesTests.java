package io.fastsession.autoconfigure;

import io.fastsession.JdkAttributeCodec;
import io.fastsession.RandomSessionIdGenerator;
import io.fastsession.store.jdbc.JdbcSchema;
import io.fastsession.store.memcached.MemcachedSessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import io.fastsession.store.redis.RedisSessionStore;
import io.fastsession.web.CookieSessionIdResolver;
import io.fastsession.web.HeaderSessionIdResolver;
import io.fastsession.web.QuerySessionIdResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property defaults are literals so that the configuration metadata shows them; these
 * tests keep them equal to the library's own defaults.
 */
class FastSessionPropertiesTests {

	private final FastSessionProperties properties = new FastSessionProperties();

	@Test
	void defaultsMatchTheLibrary() {
		assertThat(this.properties.getCookie().getName()).isEqualTo(CookieSessionIdResolver.DEFAULT_NAME);
		assertThat(this.properties.getSessionId().getHeaderName()).isEqualTo(HeaderSessionIdResolver.DEFAULT_HEADER);
		assertThat(this.properties.getSessionId().getQueryParam()).isEqualTo(QuerySessionIdResolver.DEFAULT_PARAMETER);
		assertThat(this.properties.getSessionId().getBytes()).isEqualTo(RandomSessionIdGenerator.DEFAULT_BYTES);
		assertThat(this.properties.getMemory().getMaxSessions()).isEqualTo(CaffeineSessionStore.DEFAULT_MAX_SESSIONS);
		assertThat(this.properties.getRedis().getKeyPrefix()).isEqualTo(RedisSessionStore.DEFAULT_KEY_PREFIX);
		assertThat(this.properties.getMemcached().getKeyPrefix()).isEqualTo(MemcachedSessionStore.DEFAULT_KEY_PREFIX);
		assertThat(this.properties.getMemcached().getMaxItemSize().toBytes())
			.isEqualTo(MemcachedSessionStore.DEFAULT_MAX_ITEM_SIZE);
		assertThat(this.properties.getJdbc().getTablePrefix()).isEqualTo(JdbcSchema.DEFAULT_TABLE_PREFIX);
		assertThat(this.properties.getJdkCodec().getAllowedClasses()).isEqualTo(JdkAttributeCodec.DEFAULT_ALLOWED);
	}

}
