package io.fastsession.store.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.fastsession.SessionStoreException;
import io.fastsession.id.SessionKeys;
import io.fastsession.store.OwnerOnlyFiles;
import io.fastsession.store.SessionDelta;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionRecordFormat;
import io.fastsession.store.SessionRecordFormat.CorruptRecordException;
import io.fastsession.store.SessionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The file provider: one file per session under a directory, in two levels of sharded
 * sub-directories ({@code ab/cd/abcd….session}). File names are the hex form of the
 * session key, itself a hash of the id, so nothing a client sends ever becomes part of a
 * path.
 * <p>
 * Writes go to a temporary file that is then renamed over the session file, so a reader
 * or a crash never sees half a session. Updates read, merge and rewrite the file under a
 * per-key lock, so concurrent requests on one session keep each other's attributes; the
 * lock is held by this JVM, so a directory must belong to one application instance. All
 * file work runs on a bounded scheduler, never on the caller's thread.
 * <p>
 * Expired files are removed by {@link #removeExpired(Instant)}, which examines at most a
 * fixed number of files per call and resumes where it stopped on the next.
 * <p>
 * Sessions with a principal are listed in an index file per principal
 * ({@code principals/<hex hash of the name>.index}, one key per line), written with the
 * same lock-and-rename rules as the sessions. A session leaves its principal's index when
 * its principal changes; keys of sessions deleted or expired meanwhile are pruned when
 * the index is next written or read.
 *
 * @author fastsession authors
 */
public final class FileSessionStore implements SessionStore, Closeable {

	/** Default number of files examined per cleanup run. */
	public static final int DEFAULT_SWEEP_BATCH = 10_000;

	static final String SUFFIX = ".session";

	static final String PRINCIPALS = "principals";

	private static final String INDEX_SUFFIX = ".index";

	private static final String TEMP_PREFIX = ".tmp-";

	private static final Duration TEMP_FILE_AGE = Duration.ofHours(1);

	private static final int LOCK_STRIPES = 256;

	private static final Log logger = LogFactory.getLog(FileSessionStore.class);

	private final Path directory;

	private final Scheduler scheduler;

	private final boolean ownsScheduler;

	private final int sweepBatch;

	private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

	/**
	 * Locks of the principal index files; always taken after a session's lock, if both.
	 */
	private final ReentrantLock[] indexLocks = new ReentrantLock[LOCK_STRIPES];

	/** First-level shard the next sweep starts at. */
	private int sweepCursor;

	/**
	 * Create a store with its own bounded scheduler.
	 * @param directory the directory, created if missing
	 */
	public FileSessionStore(Path directory) {
		this(directory, Schedulers.newBoundedElastic(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
				10_000, "fastsession-file"), true, DEFAULT_SWEEP_BATCH);
	}

	/**
	 * Create a store that runs its file work on the given scheduler.
	 * @param directory the directory, created if missing
	 * @param scheduler a scheduler for blocking work, bounded
	 * @param sweepBatch the most files examined per cleanup run
	 */
	public FileSessionStore(Path directory, Scheduler scheduler, int sweepBatch) {
		this(directory, scheduler, false, sweepBatch);
	}

	private FileSessionStore(Path directory, Scheduler scheduler, boolean ownsScheduler, int sweepBatch) {
		if (sweepBatch <= 0) {
			throw new IllegalArgumentException("sweepBatch must be positive");
		}
		this.directory = createDirectory(directory.toAbsolutePath().normalize());
		this.scheduler = scheduler;
		this.ownsScheduler = ownsScheduler;
		this.sweepBatch = sweepBatch;
		for (int i = 0; i < LOCK_STRIPES; i++) {
			this.locks[i] = new ReentrantLock();
			this.indexLocks[i] = new ReentrantLock();
		}
	}

	@Override
	public Mono<SessionRecord> load(String key) {
		return io(() -> {
			Path file = pathOf(key);
			byte[] bytes = readIfExists(file);
			if (bytes == null) {
				return null;
			}
			try {
				return SessionRecordFormat.read(bytes);
			}
			catch (CorruptRecordException ex) {
				dropCorrupt(key, file, ex);
				return null;
			}
		});
	}

	@Override
	public Mono<Void> create(String key, SessionRecord record) {
		return io(() -> {
			Path file = pathOf(key);
			byte[] bytes = SessionRecordFormat.write(record);
			ReentrantLock lock = lockOf(key);
			lock.lock();
			try {
				writeAtomically(file, bytes);
				if (record.getPrincipal() != null) {
					index(record.getPrincipal(), key, true);
				}
			}
			finally {
				lock.unlock();
			}
			return null;
		}).then();
	}

	@Override
	public Mono<Boolean> update(String key, SessionDelta delta) {
		return io(() -> {
			Path file = pathOf(key);
			ReentrantLock lock = lockOf(key);
			lock.lock();
			try {
				byte[] bytes = readIfExists(file);
				if (bytes == null) {
					return false;
				}
				SessionRecord current;
				try {
					current = SessionRecordFormat.read(bytes);
				}
				catch (CorruptRecordException ex) {
					dropCorrupt(key, file, ex);
					return false;
				}
				writeAtomically(file, SessionRecordFormat.write(current.apply(delta)));
				if (delta.isPrincipalChanged() && !Objects.equals(current.getPrincipal(), delta.getPrincipal())) {
					if (current.getPrincipal() != null) {
						index(current.getPrincipal(), key, false);
					}
					if (delta.getPrincipal() != null) {
						index(delta.getPrincipal(), key, true);
					}
				}
				return true;
			}
			finally {
				lock.unlock();
			}
		});
	}

	@Override
	public Mono<Boolean> delete(String key) {
		return io(() -> {
			Path file = pathOf(key);
			ReentrantLock lock = lockOf(key);
			lock.lock();
			try {
				return Files.deleteIfExists(file);
			}
			finally {
				lock.unlock();
			}
		});
	}

	@Override
	public Mono<Long> count() {
		return io(() -> {
			try (Stream<Path> files = Files.walk(this.directory, 3)) {
				return files.filter(FileSessionStore::isSessionFile).count();
			}
		});
	}

	/**
	 * Find a user's sessions through the principal's index file, pruning keys whose
	 * session file is gone.
	 */
	@Override
	public Flux<String> findByPrincipal(String principal) {
		return io(() -> {
			Path file = indexOf(principal);
			ReentrantLock lock = indexLockOf(file);
			lock.lock();
			try {
				List<String> keys = readIndex(file);
				List<String> live = liveKeys(keys);
				if (live.size() != keys.size()) {
					writeIndex(file, live);
				}
				return live;
			}
			finally {
				lock.unlock();
			}
		}).flatMapMany(Flux::fromIterable);
	}

	/**
	 * Add a session to its principal's index or remove it, pruning keys of sessions that
	 * are gone; called with the session's lock held.
	 */
	private void index(String principal, String key, boolean add) throws IOException {
		Path file = indexOf(principal);
		ReentrantLock lock = indexLockOf(file);
		lock.lock();
		try {
			List<String> keys = liveKeys(readIndex(file));
			keys.remove(key);
			if (add) {
				keys.add(key);
			}
			writeIndex(file, keys);
		}
		finally {
			lock.unlock();
		}
	}

	private List<String> liveKeys(List<String> keys) {
		List<String> live = new ArrayList<>(keys.size());
		for (String key : keys) {
			if (SessionKeys.isValidKey(key) && Files.exists(pathOf(key)) && !live.contains(key)) {
				live.add(key);
			}
		}
		return live;
	}

	private static List<String> readIndex(Path file) throws IOException {
		byte[] bytes = readIfExists(file);
		if (bytes == null) {
			return new ArrayList<>();
		}
		List<String> keys = new ArrayList<>();
		for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\n")) {
			if (!line.isEmpty()) {
				keys.add(line);
			}
		}
		return keys;
	}

	private void writeIndex(Path file, List<String> keys) throws IOException {
		if (keys.isEmpty()) {
			Files.deleteIfExists(file);
			return;
		}
		writeAtomically(file, (String.join("\n", keys) + "\n").getBytes(StandardCharsets.US_ASCII));
	}

	private Path indexOf(String principal) {
		String hex = HexFormat.of().formatHex(Base64.getUrlDecoder().decode(SessionKeys.hash(principal)));
		return this.directory.resolve(PRINCIPALS).resolve(hex + INDEX_SUFFIX);
	}

	private ReentrantLock indexLockOf(Path file) {
		return this.indexLocks[Math.floorMod(file.getFileName().hashCode(), LOCK_STRIPES)];
	}

	@Override
	public Mono<Long> removeExpired(Instant now) {
		return io(() -> sweep(now.toEpochMilli()));
	}

	/**
	 * Examine up to {@code sweepBatch} files, starting at the shard after the last one
	 * finished, and delete expired sessions and stale temporary files.
	 */
	private synchronized long sweep(long now) throws IOException {
		List<Path> shards = listSorted(this.directory);
		if (shards.isEmpty()) {
			return 0L;
		}
		long removed = 0;
		int examined = 0;
		int visited = 0;
		int index = this.sweepCursor % shards.size();
		while (visited < shards.size() && examined < this.sweepBatch) {
			Path shard = shards.get(index);
			for (Path subShard : listSorted(shard)) {
				try (DirectoryStream<Path> files = Files.newDirectoryStream(subShard)) {
					for (Path file : files) {
						examined++;
						if (removeIfExpired(file, now)) {
							removed++;
						}
					}
				}
				catch (NoSuchFileException ex) {
					// removed concurrently
				}
			}
			visited++;
			index = (index + 1) % shards.size();
		}
		this.sweepCursor = index;
		return removed;
	}

	private boolean removeIfExpired(Path file, long now) throws IOException {
		String name = file.getFileName().toString();
		if (name.startsWith(TEMP_PREFIX)) {
			deleteIfStaleTemp(file);
			return false;
		}
		if (!name.endsWith(SUFFIX)) {
			return false;
		}
		String key = keyOf(name);
		if (key == null) {
			return false;
		}
		ReentrantLock lock = lockOf(key);
		lock.lock();
		try {
			byte[] header = readHeader(file);
			if (header == null) {
				return false;
			}
			long expiresAt;
			try {
				expiresAt = SessionRecordFormat.readExpiresAt(header);
			}
			catch (CorruptRecordException ex) {
				dropCorrupt(key, file, ex);
				return true;
			}
			return expiresAt <= now && Files.deleteIfExists(file);
		}
		finally {
			lock.unlock();
		}
	}

	/**
	 * Delete a temporary file left behind by a crash between write and rename.
	 */
	private static void deleteIfStaleTemp(Path file) throws IOException {
		try {
			FileTime modified = Files.getLastModifiedTime(file);
			if (modified.toInstant().isBefore(Instant.now().minus(TEMP_FILE_AGE))) {
				Files.deleteIfExists(file);
			}
		}
		catch (NoSuchFileException ex) {
			// renamed meanwhile
		}
	}

	private <T> Mono<T> io(Callable<@Nullable T> work) {
		return Mono.fromCallable(work)
			.subscribeOn(this.scheduler)
			.onErrorMap((ex) -> !(ex instanceof IllegalArgumentException),
					(ex) -> new SessionStoreException("File session store failed: " + ex.getMessage(), ex));
	}

	Path pathOf(String key) {
		if (!SessionKeys.isValidKey(key)) {
			throw new IllegalArgumentException("Not a session key");
		}
		String hex = HexFormat.of().formatHex(Base64.getUrlDecoder().decode(key));
		return this.directory.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex + SUFFIX);
	}

	private static @Nullable String keyOf(String fileName) {
		String hex = fileName.substring(0, fileName.length() - SUFFIX.length());
		if (hex.length() != 64) {
			return null;
		}
		try {
			return Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private ReentrantLock lockOf(String key) {
		return this.locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
	}

	private void writeAtomically(Path file, byte[] bytes) throws IOException {
		Path parent = file.getParent();
		OwnerOnlyFiles.createDirectories(parent);
		// Created owner-only (rw-------) on POSIX file systems, and renamed into place.
		Path temp = Files.createTempFile(parent, TEMP_PREFIX, ".part");
		try {
			Files.write(temp, bytes);
			try {
				Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	private void dropCorrupt(String key, Path file, CorruptRecordException ex) {
		logger.warn("Dropped unreadable session file for " + SessionKeys.describe(key) + ": " + ex.getMessage());
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException deleteFailure) {
			logger.warn("Could not delete the unreadable session file for " + SessionKeys.describe(key) + ": "
					+ deleteFailure.getClass().getSimpleName());
		}
	}

	private static byte @Nullable [] readIfExists(Path file) throws IOException {
		try {
			return Files.readAllBytes(file);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	private static byte @Nullable [] readHeader(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return in.readNBytes(SessionRecordFormat.HEADER_LENGTH);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	private static List<Path> listSorted(Path directory) throws IOException {
		List<Path> result = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
			entries.forEach(result::add);
		}
		catch (NoSuchFileException ex) {
			return result;
		}
		result.sort(null);
		return result;
	}

	private static boolean isSessionFile(Path path) {
		return path.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(path);
	}

	private static Path createDirectory(Path directory) {
		try {
			OwnerOnlyFiles.createDirectories(directory);
			OwnerOnlyFiles.checkNotWritableByOthers(directory, "Session directory");
			if (!Files.isWritable(directory)) {
				throw new IllegalStateException("Session directory " + directory + " is not writable");
			}
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create session directory " + directory, ex);
		}
	}

	public Path getDirectory() {
		return this.directory;
	}

	@Override
	public void close() {
		if (this.ownsScheduler) {
			this.scheduler.dispose();
		}
	}

	@Override
	public String toString() {
		return "FileSessionStore[" + this.directory + "]";
	}

}
