package io.fastsession.autoconfigure.security;

import java.util.UUID;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TestServers;

@NeedsServer
class RedisSecurityTests extends AbstractSecurityTests {

	private final String prefix = "fastsession-security-test:" + UUID.randomUUID() + ":";

	@Override
	String[] providerProperties() {
		return new String[] { NO_DATASOURCE, "fastsession.provider=redis",
				"spring.data.redis.url=" + TestServers.redisUrl(), "fastsession.redis.key-prefix=" + this.prefix };
	}

}
