package io.fastsession.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories that only their owner can read or write, for stores that keep
 * sessions on the local file system (the file and SQLite providers): whoever can write
 * there can plant, change or delete sessions. On file systems without POSIX permissions
 * the checks do nothing.
 *
 * @author fastsession authors
 */
public final class OwnerOnlyFiles {

	private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	private static final Set<PosixFilePermission> WRITE_BY_OTHERS = EnumSet.of(PosixFilePermission.GROUP_WRITE,
			PosixFilePermission.OTHERS_WRITE);

	private OwnerOnlyFiles() {
	}

	/**
	 * Create a directory and any missing parents, each one owner-only.
	 * @param directory the directory
	 * @throws IOException if it cannot be created
	 */
	public static void createDirectories(Path directory) throws IOException {
		if (Files.isDirectory(directory)) {
			return;
		}
		Path parent = directory.getParent();
		if (parent != null) {
			createDirectories(parent);
		}
		try {
			if (isPosix(directory)) {
				Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
				// The process's umask applies at creation; make it exact.
				Files.setPosixFilePermissions(directory, DIRECTORY);
			}
			else {
				Files.createDirectory(directory);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// created concurrently
		}
	}

	/**
	 * Refuse a directory that users other than its owner can write to.
	 * @param directory an existing directory
	 * @param what what the directory holds, for the message
	 * @throws IllegalStateException if group or others can write to it
	 * @throws IOException if its permissions cannot be read
	 */
	public static void checkNotWritableByOthers(Path directory, String what) throws IOException {
		if (!isPosix(directory)) {
			return;
		}
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
		if (permissions.stream().anyMatch(WRITE_BY_OTHERS::contains)) {
			throw new IllegalStateException(what + " " + directory + " can be written by other users ("
					+ PosixFilePermissions.toString(permissions) + "): anyone who can write there can plant, change "
					+ "or delete sessions. Make it owner-only (chmod 700 " + directory
					+ ") or use a directory of the application's own.");
		}
	}

	/**
	 * Make an existing file owner-only.
	 * @param file the file
	 * @return whether its permissions were changed
	 * @throws IOException if they cannot be
	 */
	public static boolean restrict(Path file) throws IOException {
		if (!isPosix(file) || Files.getPosixFilePermissions(file).equals(FILE)) {
			return false;
		}
		Files.setPosixFilePermissions(file, FILE);
		return true;
	}

	/**
	 * Create an empty owner-only file if it does not exist.
	 * @param file the file
	 * @throws IOException if it cannot be created
	 */
	public static void createFile(Path file) throws IOException {
		try {
			if (isPosix(file.toAbsolutePath().getParent())) {
				Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
			}
			else {
				Files.createFile(file);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// there already
		}
	}

	private static boolean isPosix(Path path) {
		Path existing = path;
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
	}

}
