package io.fastsession.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes what a test created under the temporary directory once nothing uses it any more
 * (a stopped server's data directory and log, a closed database file).
 */
public final class TempPaths {

	private TempPaths() {
	}

	/**
	 * Delete a file, or a directory with everything in it; a path that is gone already is
	 * not an error. Clean-up only: a failure is reported on standard error and does not
	 * fail the test.
	 * @param path the file or directory
	 */
	public static void delete(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(path)) {
			for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(each);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			System.err.println("Could not delete " + path + ": " + ex);
		}
	}

}
