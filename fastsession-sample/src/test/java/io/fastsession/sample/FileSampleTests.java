package io.fastsession.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.fastsession.store.file.FileSessionStore;
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

	private static Path createDirectory() {
		try {
			return Files.createTempDirectory("fastsession-sample-file");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
