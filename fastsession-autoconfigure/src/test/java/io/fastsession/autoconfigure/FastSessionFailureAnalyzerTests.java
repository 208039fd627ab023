package io.fastsession.autoconfigure;

import java.util.List;

import io.fastsession.autoconfigure.FastSessionProperties.Provider;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class FastSessionFailureAnalyzerTests {

	private final FastSessionFailureAnalyzer analyzer = new FastSessionFailureAnalyzer();

	@Test
	void missingLibrariesAreNamedTogetherWithEverythingTheSetupNeeds() {
		ProviderSetup setup = ProviderSetup.of(Provider.POSTGRES, true, true);
		FailureAnalysis analysis = analyze(
				FastSessionStartupException.librariesMissing(setup, setup.missing(new ClassLoader(null) {
				})));
		assertThat(analysis.getDescription()).contains("fastsession.jdbc.url")
			.contains("spring-jdbc, HikariCP, Flyway, Flyway's PostgreSQL support and the PostgreSQL JDBC driver")
			.contains("org.springframework.jdbc.core.JdbcTemplate not found");
		assertThat(analysis.getAction())
			.contains("org.springframework:spring-jdbc, com.zaxxer:HikariCP,"
					+ " org.flywaydb:flyway-core, org.flywaydb:flyway-database-postgresql, org.postgresql:postgresql")
			.doesNotContain("spring-boot-starter-jdbc");
	}

	@Test
	void missingDriverNamesTheDependency() {
		ProviderSetup setup = ProviderSetup.of(Provider.REDIS, false, true);
		FailureAnalysis analysis = analyze(
				FastSessionStartupException.librariesMissing(setup, setup.missing(new ClassLoader(null) {
				})));
		assertThat(analysis.getDescription()).contains("ReactiveRedisConnectionFactory");
		assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis-reactive");
	}

	@Test
	void invalidPropertyHidesNothingItShouldNotShow() {
		FailureAnalysis analysis = analyze(FastSessionStartupException.invalidProperty(
				"fastsession.session-id.signing-keys[0]", "(9 bytes, hidden)", "too short", "Use a longer key."));
		assertThat(analysis.getDescription()).contains("signing-keys[0]").contains("hidden");
		assertThat(analysis.getAction()).isEqualTo("Use a longer key.");
	}

	@Test
	void findsTheCauseInsideBeanCreationFailures() {
		FastSessionStartupException cause = FastSessionStartupException.missingProperty("fastsession.file.directory",
				"needed", "Set it.");
		FailureAnalysis analysis = this.analyzer
			.analyze(new BeanCreationException("fastSessionStore", "failed", cause));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getAction()).isEqualTo("Set it.");
		assertThat(List.of(analysis.getCause())).containsExactly(cause);
	}

	private FailureAnalysis analyze(FastSessionStartupException failure) {
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

}
