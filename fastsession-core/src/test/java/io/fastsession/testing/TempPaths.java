package io.fastsession.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.util.FileSystemUtils;

/**
 * Removes what a test created under the temporary directory once nothing uses it any more
 * (a stopped server's data directory and log, a closed database file), and places what
 * cannot be removed in time in the build directory instead.
 */
public final class TempPaths {

	private TempPaths() {
	}

	/**
	 * Create a new directory, owner-only, under the module's {@code target/test-data}:
	 * for data that a Spring test context keeps using after its test class ends (the
	 * context is cached), which no clean-up at the end of the class can safely delete.
	 * The build's {@code clean} removes it, and nothing is left under the system's
	 * temporary directory.
	 * @param prefix the start of the directory's name
	 * @return the new directory, as an absolute path
	 */
	public static Path inBuildDirectory(String prefix) throws IOException {
		Path base = Files.createDirectories(Path.of("target", "test-data"));
		return Files.createTempDirectory(base, prefix).toAbsolutePath();
	}

	/**
	 * Delete a file, or a directory with everything in it; a path that is gone already is
	 * not an error. Clean-up only: a failure is reported on standard error and does not
	 * fail the test.
	 * @param path the file or directory
	 */
	public static void delete(Path path) {
		try {
			FileSystemUtils.deleteRecursively(path);
		}
		catch (IOException ex) {
			System.err.println("Could not delete " + path + ": " + ex);
		}
	}

}
