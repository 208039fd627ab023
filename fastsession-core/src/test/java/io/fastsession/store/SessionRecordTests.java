package io.fastsession.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link SessionRecord#apply}: a delta's merge keeps every attribute it does not touch,
 * in order, and the result cannot be changed.
 */
class SessionRecordTests {

	private static final Instant CREATED = Instant.parse("2026-11-30T10:00:00Z");

	private static final Instant LATER = CREATED.plusSeconds(60);

	@Test
	void replacingTheOnlyAttributeKeepsTheRestOfTheRecord() {
		SessionRecord record = record(Map.of("count", bytes("1")));
		SessionRecord after = record.apply(delta(false, Map.of("count", bytes("2")), Set.of()));
		assertThat(text(after)).containsExactly(Map.entry("count", "2"));
		assertThat(after.getCreationTime()).isEqualTo(CREATED);
		assertThat(after.getLastAccessTime()).isEqualTo(LATER);
		assertThat(after.getMaxIdleTime()).isEqualTo(Duration.ofMinutes(30));
		assertThat(after.getPrincipal()).isEqualTo("alice");
		assertThat(text(record)).containsExactly(Map.entry("count", "1"));
	}

	@Test
	void anAttributeBesideTheOnlyOneIsAddedAfterIt() {
		SessionRecord after = record(Map.of("a", bytes("1"))).apply(delta(false, Map.of("b", bytes("2")), Set.of()));
		assertThat(text(after)).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
	}

	@Test
	void removalsAndChangesKeepTheOrderOfWhatStays() {
		Map<String, byte[]> attributes = new LinkedHashMap<>();
		attributes.put("a", bytes("1"));
		attributes.put("b", bytes("2"));
		attributes.put("c", bytes("3"));
		SessionRecord after = record(attributes).apply(delta(false, Map.of("c", bytes("4")), Set.of("a")));
		assertThat(text(after)).containsExactly(Map.entry("b", "2"), Map.entry("c", "4"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> after.getAttributes().put("d", bytes("5")));
	}

	@Test
	void clearingThenSettingLeavesOnlyTheNewAttribute() {
		Map<String, byte[]> attributes = new LinkedHashMap<>();
		attributes.put("a", bytes("1"));
		attributes.put("b", bytes("2"));
		SessionRecord after = record(attributes).apply(delta(true, Map.of("c", bytes("3")), Set.of()));
		assertThat(text(after)).containsExactly(Map.entry("c", "3"));
		assertThat(record(attributes).apply(delta(true, Map.of(), Set.of())).getAttributes()).isEmpty();
	}

	@Test
	void removingTheOnlyAttributeLeavesNone() {
		SessionRecord after = record(Map.of("a", bytes("1"))).apply(delta(false, Map.of(), Set.of("a")));
		assertThat(after.getAttributes()).isEmpty();
	}

	private static SessionRecord record(Map<String, byte[]> attributes) {
		return new SessionRecord(CREATED, CREATED, Duration.ofMinutes(30), null, attributes, "alice");
	}

	private static SessionDelta delta(boolean clearAll, Map<String, byte[]> changed, Set<String> removed) {
		return new SessionDelta(LATER, Duration.ofMinutes(30), clearAll, changed, removed);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static List<Map.Entry<String, String>> text(SessionRecord record) {
		return record.getAttributes()
			.entrySet()
			.stream()
			.map((entry) -> Map.entry(entry.getKey(), new String(entry.getValue(), StandardCharsets.UTF_8)))
			.toList();
	}

}
