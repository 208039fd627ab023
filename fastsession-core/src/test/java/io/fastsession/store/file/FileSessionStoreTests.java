package io.fastsession.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fastsession.MutableClock;
import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionStore;
import io.fastsession.store.SessionStoreContractTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSessionStoreTests extends SessionStoreContractTests {

	@TempDir
	Path directory;

	@Override
	protected SessionStore createStore(MutableClock clock) {
		return new FileSessionStore(this.directory);
	}

	@Override
	protected void corrupt(String key) throws IOException {
		Files.write(((FileSessionStore) this.store).pathOf(key), new byte[] { 'g', 'a', 'r', 'b', 'a', 'g', 'e' });
	}

	@Test
	void filesAreNamedFromTheKeyInShardedDirectories() throws IOException {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1")))).block();
		List<Path> files = sessionFiles();
		assertThat(files).hasSize(1);
		Path file = files.get(0);
		assertThat(this.directory.relativize(file).getNameCount()).isEqualTo(3);
		String name = file.getFileName().toString();
		assertThat(name).matches("[0-9a-f]{64}\\.session");
		assertThat(name).startsWith(
				file.getParent().getParent().getFileName().toString() + file.getParent().getFileName().toString());
	}

	@Test
	void everythingTheStoreCreatesIsOwnerOnly(@TempDir Path parent) throws IOException {
		Path fresh = parent.resolve("app/sessions");
		FileSessionStore store = new FileSessionStore(fresh);
		try {
			String key = newKey();
			store.create(key, record(Map.of("a", bytes("1")))).block();
			Path file = store.pathOf(key);
			assertThat(permissions(parent.resolve("app"))).isEqualTo("rwx------");
			assertThat(permissions(fresh)).isEqualTo("rwx------");
			assertThat(permissions(file.getParent())).as("shard directory").isEqualTo("rwx------");
			assertThat(permissions(file)).isEqualTo("rw-------");
		}
		finally {
			store.close();
		}
	}

	@Test
	void aSessionDirectoryOtherUsersCanWriteIsRefused(@TempDir Path parent) throws IOException {
		Path shared = Files.createDirectory(parent.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
		assertThatThrownBy(() -> new FileSessionStore(shared)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("can be written by other users")
			.hasMessageContaining("chmod 700 " + shared);
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx-----x"));
		new FileSessionStore(shared).close();
	}

	private static String permissions(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

	@Test
	void keysThatAreNotKeysAreRefusedBeforeAnyFileAccess() {
		for (String hostile : List.of("../../etc/passwd", "a".repeat(42) + "/", "..", "",
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u0000")) {
			assertThatThrownBy(() -> this.store.load(hostile).block()).isInstanceOf(IllegalArgumentException.class);
			assertThatThrownBy(() -> this.store.create(hostile, record(Map.of())).block())
				.isInstanceOf(IllegalArgumentException.class);
		}
		assertThat(this.directory.toFile().list()).isEmpty();
	}

	@Test
	void writesLeaveNoTemporaryFiles() throws IOException {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1")))).block();
		this.store.update(key, delta(false, Map.of("b", bytes("2")), java.util.Set.of())).block();
		try (Stream<Path> all = Files.walk(this.directory)) {
			assertThat(all.filter(Files::isRegularFile)).allMatch((path) -> path.toString().endsWith(".session"));
		}
	}

	@Test
	void sessionsSurviveANewStoreOnTheSameDirectory() throws Exception {
		String key = newKey();
		SessionRecord record = record(Map.of("a", bytes("1")));
		this.store.create(key, record).block();
		((FileSessionStore) this.store).close();
		this.store = new FileSessionStore(this.directory);
		assertThat(this.store.load(key).block()).isEqualTo(record);
	}

	@Test
	void truncatedFileIsDroppedAndDeleted() throws IOException {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("123456789")))).block();
		Path file = ((FileSessionStore) this.store).pathOf(key);
		byte[] bytes = Files.readAllBytes(file);
		Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
		assertThat(this.store.load(key).blockOptional()).isEmpty();
		assertThat(file).doesNotExist();
	}

	@Test
	void sweepExaminesABoundedNumberOfFilesPerRunAndResumes() throws IOException {
		FileSessionStore bounded = new FileSessionStore(this.directory, Schedulers.boundedElastic(), 5);
		Instant now = this.clock.instant();
		for (int i = 0; i < 40; i++) {
			bounded.create(newKey(), new SessionRecord(now, now, Duration.ofMinutes(1), null, Map.of())).block();
		}
		Instant later = now.plus(Duration.ofMinutes(2));
		long first = bounded.removeExpired(later).block();
		assertThat(first).isBetween(1L, 39L);
		long total = first;
		for (int run = 0; run < 100 && total < 40; run++) {
			total += bounded.removeExpired(later).block();
		}
		assertThat(total).isEqualTo(40);
		assertThat(sessionFiles()).isEmpty();
	}

	@Test
	void sweepDeletesTemporaryFilesLeftByACrash() throws IOException {
		String key = newKey();
		this.store.create(key, record(Map.of("a", bytes("1")))).block();
		Path shard = ((FileSessionStore) this.store).pathOf(key).getParent();
		Path leftover = Files.write(shard.resolve(".tmp-123.part"), new byte[] { 1, 2, 3 });
		Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
		Path fresh = Files.write(shard.resolve(".tmp-456.part"), new byte[] { 1, 2, 3 });
		this.store.removeExpired(this.clock.instant()).block();
		assertThat(leftover).doesNotExist();
		assertThat(fresh).exists();
		assertThat(this.store.load(key).blockOptional()).isPresent();
	}

	private List<Path> sessionFiles() throws IOException {
		try (Stream<Path> all = Files.walk(this.directory)) {
			return all.filter((path) -> path.toString().endsWith(".session")).toList();
		}
	}

}
