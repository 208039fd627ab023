package io.fastsession.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import io.fastsession.store.SessionRecord;
import io.fastsession.store.SessionRecordFormat;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ways a stored session can be damaged behind fastsession's back (a bad disk, a manual
 * edit, a buggy migration), and how to inflict them on each kind of store.
 */
enum StoredSessionDamage {

	/** The record itself is unreadable: garbage bytes or impossible metadata. */
	GARBAGE_RECORD,

	/** The record is fine but one attribute holds truncated JSON. */
	TRUNCATED_ATTRIBUTE;

	static final byte[] GARBAGE = "\u0000garbage\u00ff".getBytes(StandardCharsets.ISO_8859_1);

	static final byte[] TRUNCATED_JSON = "{\"name\":\"al".getBytes(StandardCharsets.UTF_8);

	/**
	 * Damage a record in the binary record format (file and memcached providers).
	 * @param bytes the stored bytes
	 * @param attribute the attribute to truncate
	 * @return the damaged bytes
	 */
	byte[] apply(byte[] bytes, String attribute) throws Exception {
		if (this == GARBAGE_RECORD) {
			return GARBAGE;
		}
		SessionRecord record = SessionRecordFormat.read(bytes);
		Map<String, byte[]> attributes = new LinkedHashMap<>(record.getAttributes());
		assertThat(attributes).containsKey(attribute);
		attributes.put(attribute, TRUNCATED_JSON);
		return SessionRecordFormat.write(new SessionRecord(record.getCreationTime(), record.getLastAccessTime(),
				record.getMaxIdleTime(), record.getAbsoluteExpiry(), attributes, record.getPrincipal()));
	}

	void applyToFile(Path directory, String key, String attribute) throws Exception {
		String hex = HexFormat.of().formatHex(Base64.getUrlDecoder().decode(key));
		Path file = directory.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex + ".session");
		Files.write(file, apply(readFile(file), attribute));
	}

	void applyToSql(DataSource dataSource, String tablePrefix, String key, String attribute) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		int updated = (this == GARBAGE_RECORD)
				? jdbc.update("UPDATE " + tablePrefix + "sessions SET max_idle_ms = -1 WHERE id = ?", key)
				: jdbc.update(
						"UPDATE " + tablePrefix + "session_attributes SET value = ? WHERE session_id = ? AND name = ?",
						TRUNCATED_JSON, key, attribute);
		assertThat(updated).as("rows damaged").isEqualTo(1);
	}

	private static byte[] readFile(Path file) throws IOException {
		assertThat(file).exists();
		return Files.readAllBytes(file);
	}

}
