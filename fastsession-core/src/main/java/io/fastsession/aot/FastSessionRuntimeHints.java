package io.fastsession.aot;

import java.util.List;

import io.fastsession.SessionInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What fastsession reads reflectively or from the class path, for ahead-of-time
 * processing and native images:
 * <ul>
 * <li>the SQL providers' Flyway migrations, read from the class path;</li>
 * <li>{@link SessionInfo}, which the sessions endpoint returns as JSON;</li>
 * <li>the logger spymemcached instantiates by name, when spymemcached is present;</li>
 * <li>Java serialization of the JDK types sessions commonly hold in values set with
 * {@code setTyped} or the {@code WebSession} view.</li>
 * </ul>
 * Registered through {@code META-INF/spring/aot.factories}.
 *
 * @author fastsession authors
 */
class FastSessionRuntimeHints implements RuntimeHintsRegistrar {

	/** Where the migrations of every SQL dialect live. */
	static final String MIGRATIONS = "io/fastsession/store/jdbc/migration/*/*.sql";

	private static final String SPYMEMCACHED_LOGGER = "net.spy.memcached.compat.log.SLF4JLogger";

	private static final List<Class<? extends java.io.Serializable>> SERIALIZED = List.of(String.class, Boolean.class,
			Integer.class, Long.class, Double.class, java.math.BigDecimal.class, java.math.BigInteger.class,
			java.util.ArrayList.class, java.util.LinkedList.class, java.util.HashMap.class,
			java.util.LinkedHashMap.class, java.util.TreeMap.class, java.util.HashSet.class,
			java.util.LinkedHashSet.class, java.util.TreeSet.class, java.time.Instant.class, java.time.Duration.class,
			java.time.LocalDate.class, java.time.LocalDateTime.class);

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(MIGRATIONS);
		hints.reflection()
			.registerType(SessionInfo.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
					MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS);
		if (ClassUtils.isPresent(SPYMEMCACHED_LOGGER, classLoader)) {
			hints.reflection()
				.registerType(TypeReference.of(SPYMEMCACHED_LOGGER), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
		SERIALIZED.forEach((type) -> hints.serialization().registerType(type));
	}

}
