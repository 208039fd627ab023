package io.fastsession.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.fastsession.store.jdbc.JdbcDialect;
import io.fastsession.store.jdbc.JdbcSessionStore;
import io.fastsession.testing.TempPaths;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "fastsession.provider=sqlite")
class SqliteSampleTests extends SampleContractTests {

	static final Path FILE = temporaryFile();

	@Autowired
	JdbcSessionStore store;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("fastsession.sqlite.path", FILE::toString);
	}

	@Override
	void damage(String key, StoredSessionDamage damage) {
		damage.applyToSql(new DriverManagerDataSource("jdbc:sqlite:" + FILE), "fastsession_", key, "user");
	}

	@Test
	void runsOnAnEmbeddedFile() {
		assertThat(this.store.getDialect()).isEqualTo(JdbcDialect.SQLITE);
		assertThat(FILE).exists();
	}

	private static Path temporaryFile() {
		try {
			return TempPaths.inBuildDirectory("sqlite").resolve("sessions.db");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
