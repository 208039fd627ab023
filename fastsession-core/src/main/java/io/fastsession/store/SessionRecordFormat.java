package io.fastsession.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A compact binary form of a whole {@link SessionRecord}, for stores that keep a session
 * as one value (the file and memcached providers). Big-endian:
 *
 * <pre>
 * int    magic "FSS3"
 * long   expiresAt (epoch ms)   -- first, so the cleanup sweep reads 12 bytes per file
 * long   creationTime, lastAccessTime (epoch ms)
 * long   maxIdleTime (ms)
 * long   absoluteExpiry (epoch ms, or -1)
 * int    flags: 1 = maxIdleTime is the session's own
 * int    principal length (-1 for none), principal (UTF-8)
 * int    attribute count
 *        per attribute: int name length, name (UTF-8), int value length, value
 * int    CRC32C of everything before it
 * </pre>
 *
 * The checksum makes a torn or tampered value detectable; any inconsistency is reported
 * as {@link CorruptRecordException}. Values of the previous version ("FSS2", without the
 * flags) are still read.
 *
 * @author fastsession authors
 */
public final class SessionRecordFormat {

	public static final int MAGIC = 0x46535333;

	/** The previous version, without flags. */
	private static final int MAGIC_V2 = 0x46535332;

	private static final int FLAG_OWN_MAX_IDLE = 1;

	/** Bytes needed to read the expiry. */
	public static final int HEADER_LENGTH = 12;

	private static final int MAX_ATTRIBUTES = 100_000;

	private SessionRecordFormat() {
	}

	/**
	 * Encode a record.
	 * @param record the record
	 * @return its bytes
	 */
	public static byte[] write(SessionRecord record) {
		Map<String, byte[]> attributes = record.getAttributes();
		byte[][] names = new byte[attributes.size()][];
		byte[] principal = (record.getPrincipal() != null) ? record.getPrincipal().getBytes(StandardCharsets.UTF_8)
				: null;
		int size = 4 + 8 * 5 + 4 + 4 + ((principal != null) ? principal.length : 0) + 4 + 4;
		int i = 0;
		for (Map.Entry<String, byte[]> entry : attributes.entrySet()) {
			names[i] = entry.getKey().getBytes(StandardCharsets.UTF_8);
			size += 8 + names[i].length + entry.getValue().length;
			i++;
		}
		ByteBuffer buffer = ByteBuffer.allocate(size);
		buffer.putInt(MAGIC);
		buffer.putLong(record.getExpiresAt().toEpochMilli());
		buffer.putLong(record.getCreationTime().toEpochMilli());
		buffer.putLong(record.getLastAccessTime().toEpochMilli());
		buffer.putLong(record.getMaxIdleTime().toMillis());
		buffer.putLong((record.getAbsoluteExpiry() != null) ? record.getAbsoluteExpiry().toEpochMilli() : -1);
		buffer.putInt(record.isMaxIdleTimeOverridden() ? FLAG_OWN_MAX_IDLE : 0);
		if (principal != null) {
			buffer.putInt(principal.length).put(principal);
		}
		else {
			buffer.putInt(-1);
		}
		buffer.putInt(attributes.size());
		i = 0;
		for (byte[] value : attributes.values()) {
			buffer.putInt(names[i].length).put(names[i]);
			buffer.putInt(value.length).put(value);
			i++;
		}
		buffer.putInt(checksum(buffer.array(), buffer.position()));
		return buffer.array();
	}

	/**
	 * Decode a record.
	 * @param bytes the bytes
	 * @return the record
	 * @throws CorruptRecordException if the bytes are not a valid record
	 */
	public static SessionRecord read(byte[] bytes) throws CorruptRecordException {
		try {
			if (bytes.length < 4 + 8 * 5 + 4 + 4) {
				throw new CorruptRecordException("too short (" + bytes.length + " bytes)");
			}
			int end = bytes.length - 4;
			if (ByteBuffer.wrap(bytes, end, 4).getInt() != checksum(bytes, end)) {
				throw new CorruptRecordException("checksum mismatch");
			}
			ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, end);
			int magic = buffer.getInt();
			if (magic != MAGIC && magic != MAGIC_V2) {
				throw new CorruptRecordException("not a session file");
			}
			buffer.getLong();
			Instant created = Instant.ofEpochMilli(buffer.getLong());
			Instant lastAccess = Instant.ofEpochMilli(buffer.getLong());
			long maxIdle = buffer.getLong();
			long absolute = buffer.getLong();
			int flags = (magic == MAGIC) ? buffer.getInt() : 0;
			int principalLength = buffer.getInt();
			String principal = null;
			if (principalLength != -1) {
				buffer.position(buffer.position() - 4);
				principal = utf8(slice(buffer));
			}
			int count = buffer.getInt();
			if (maxIdle <= 0 || count < 0 || count > MAX_ATTRIBUTES) {
				throw new CorruptRecordException("bad header");
			}
			Map<String, byte[]> attributes = new LinkedHashMap<>(count * 2);
			for (int i = 0; i < count; i++) {
				String name = utf8(slice(buffer));
				attributes.put(name, slice(buffer));
			}
			if (buffer.hasRemaining()) {
				throw new CorruptRecordException("trailing bytes");
			}
			return new SessionRecord(created, lastAccess, Duration.ofMillis(maxIdle), (flags & FLAG_OWN_MAX_IDLE) != 0,
					(absolute >= 0) ? Instant.ofEpochMilli(absolute) : null, attributes, principal);
		}
		catch (BufferUnderflowException | CharacterCodingException | IllegalArgumentException
				| java.time.DateTimeException ex) {
			throw new CorruptRecordException(ex.toString());
		}
	}

	/**
	 * Read the expiry from the first {@link #HEADER_LENGTH} bytes of an encoded record.
	 * @param header the first bytes
	 * @return the expiry in epoch milliseconds
	 * @throws CorruptRecordException if the bytes are not the start of a record
	 */
	public static long readExpiresAt(byte[] header) throws CorruptRecordException {
		ByteBuffer buffer = ByteBuffer.wrap(header);
		if (header.length < HEADER_LENGTH || buffer.getInt() != MAGIC) {
			throw new CorruptRecordException("not a session file");
		}
		return buffer.getLong();
	}

	private static String utf8(byte[] bytes) throws CharacterCodingException {
		return StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(ByteBuffer.wrap(bytes))
			.toString();
	}

	private static byte[] slice(ByteBuffer buffer) throws CorruptRecordException {
		int length = buffer.getInt();
		if (length < 0 || length > buffer.remaining()) {
			throw new CorruptRecordException("bad length " + length);
		}
		byte[] bytes = new byte[length];
		buffer.get(bytes);
		return bytes;
	}

	private static int checksum(byte[] bytes, int length) {
		CRC32C crc = new CRC32C();
		crc.update(bytes, 0, length);
		return (int) crc.getValue();
	}

	/**
	 * Bytes that are not a valid record.
	 */
	public static final class CorruptRecordException extends Exception {

		private static final long serialVersionUID = 1L;

		CorruptRecordException(String message) {
			super(message, null, false, false);
		}

	}

}
