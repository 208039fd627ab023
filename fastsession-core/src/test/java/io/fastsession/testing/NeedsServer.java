package io.fastsession.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test class or method that needs more than a JDK: a server the machine provides
 * ({@link TestServers}, {@link TestDatabases}: PostgreSQL, MariaDB/MySQL, Redis, a Redis
 * Cluster, memcached), a server binary it runs itself ({@link RedisServerProcess},
 * {@link MemcachedServerProcess}) or a browser. The quick build ({@code ./mvnw -Dquick
 * verify}) leaves these out; {@code ./test.sh} provides what they need and runs them with
 * every other test.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(NeedsServer.TAG)
public @interface NeedsServer {

	/** The JUnit tag. */
	String TAG = "server";

}
