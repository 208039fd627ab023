package io.fastsession.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.fastsession.store.file.FileSessionStore;
import io.fastsession.testing.TempPaths;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "fastsession.provider=file")
class FileSampleTests extends SampleContractTests {

	static final Path DIRECTORY = createDirectory();

	@Autowired
	FileSessionStore store;

	@DynamicPropertySource
	static void directory(DynamicPropertyRegistry registry) {
		registry.add("fastsession.file.directory", DIRECTORY::toString);
	}

	@Test
	void sessionsLiveInTheConfiguredDirectoryUnderHashedNames() throws IOException {
		assertThat(this.store.getDirectory()).isEqualTo(DIRECTORY);
		String session = cookieOf(post("/api/counter", null));
		try (Stream<Path> files = Files.walk(DIRECTORY)) {
			assertThat(files.filter(Files::isRegularFile)).isNotEmpty()
				.allMatch((file) -> file.startsWith(DIRECTORY))
				.noneMatch((file) -> file.toString().contains(session));
		}
	}

	/**
	 * Path traversal in an id must not reach the file system: nothing but the session
	 * directory appears next to it, and every file in it has a name made from an id hash.
	 */
	@Override
	void damage(String key, StoredSessionDamage damage) throws Exception {
		damage.applyToFile(DIRECTORY, key, "user");
	}

	@Override
	void afterHostileIds() throws IOException {
		try (Stream<Path> siblings = Files.list(DIRECTORY.getParent())) {
			assertThat(siblings).containsExactly(DIRECTORY);
		}
		try (Stream<Path> files = Files.walk(DIRECTORY)) {
			assertThat(files.filter(Files::isRegularFile)).isNotEmpty()
				.allSatisfy((file) -> assertThat(DIRECTORY.relativize(file).toString())
					.matches("[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\\.session|principals/[0-9a-f]{64}\\.index"));
		}
	}

	private static Path createDirectory() {
		try {
			return Files.createDirectory(TempPaths.inBuildDirectory("file-store").resolve("sessions"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
