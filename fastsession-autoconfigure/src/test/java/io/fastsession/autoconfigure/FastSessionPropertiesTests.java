package io.fastsession.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fastsession.codec.JdkAttributeCodec;
import io.fastsession.id.RandomSessionIdGenerator;
import io.fastsession.store.jdbc.JdbcSchema;
import io.fastsession.store.memcached.MemcachedSessionStore;
import io.fastsession.store.memory.CaffeineSessionStore;
import io.fastsession.store.redis.RedisSessionStore;
import io.fastsession.web.CookieSessionIdResolver;
import io.fastsession.web.HeaderSessionIdResolver;
import io.fastsession.web.QuerySessionIdResolver;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property defaults are literals so that the configuration metadata shows them; these
 * tests keep them equal to the library's own defaults.
 */
class FastSessionPropertiesTests {

	/** The session durations, read in seconds like Spring Boot's session timeouts. */
	private static final List<String> SECONDS = List.of("fastsession.timeout", "fastsession.absolute-timeout",
			"fastsession.cleanup-interval", "fastsession.cookie.max-age");

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

	/**
	 * A bare number on a duration is read in the unit the property declares; the
	 * description, which IDEs show, must say which.
	 */
	@Test
	void everyDurationSaysTheUnitOfABareNumber() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> durations = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			if ("java.time.Duration".equals(property.path("type").asString())) {
				String name = property.get("name").asString();
				durations.add(name);
				String unit = SECONDS.contains(name) ? "A number without a unit is in seconds."
						: "A number without a unit is in milliseconds";
				assertThat(property.path("description").asString()).as(name).contains(unit);
			}
		}
		assertThat(durations).containsAll(SECONDS);
	}

	@Test
	void metadataTypesTheProviderAndSameSiteAsEnums() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Map<String, String> types = new HashMap<>();
		metadata.get("properties")
			.forEach((property) -> types.put(property.get("name").asString(), property.path("type").asString()));
		assertThat(types)
			.containsEntry("fastsession.provider", "io.fastsession.autoconfigure.FastSessionProperties$Provider")
			.containsEntry("fastsession.cookie.same-site",
					"io.fastsession.autoconfigure.FastSessionProperties$SameSite");
	}

}
