package io.fastsession.aot;

import java.util.ArrayList;
import java.util.List;

import io.fastsession.SessionInfo;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class FastSessionRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void theRegistrarIsListedInAotFactories() {
		List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
			.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
		assertThat(registrars).hasAtLeastOneElementOfType(FastSessionRuntimeHints.class);
	}

	@Test
	void everyMigrationOfEveryDialectIsARegisteredResource() throws Exception {
		new FastSessionRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		List<String> migrations = new ArrayList<>();
		for (var resource : new PathMatchingResourcePatternResolver()
			.getResources("classpath*:" + FastSessionRuntimeHints.MIGRATIONS)) {
			String url = resource.getURL().toString();
			migrations.add(url.substring(url.indexOf("io/fastsession/store/jdbc/migration/")));
		}
		assertThat(migrations).hasSizeGreaterThanOrEqualTo(9)
			.allSatisfy((path) -> assertThat(RuntimeHintsPredicates.resource().forResource(path)).accepts(this.hints));
	}

	@Test
	void theEndpointsJsonAndSpymemcachedsLoggerCanBeReachedReflectively() {
		new FastSessionRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(SessionInfo.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(net.spy.memcached.compat.log.SLF4JLogger.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.serialization().onType(java.util.LinkedHashMap.class)).accepts(this.hints);
	}

}
