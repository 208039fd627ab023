package io.fastsession.testing;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.util.FileSystemUtils;

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
		try {
			FileSystemUtils.deleteRecursively(path);
		}
		catch (IOException ex) {
			System.err.println("Could not delete " + path + ": " + ex);
		}
	}

}
