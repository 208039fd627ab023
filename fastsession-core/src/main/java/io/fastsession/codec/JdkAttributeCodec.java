package io.fastsession.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;

import org.springframework.util.ClassUtils;

/**
 * An {@link AttributeCodec} using Java serialization, for applications whose attributes
 * are {@link Serializable} objects that must come back as the same classes. Every read
 * runs through an {@link ObjectInputFilter} built from an allow-list of class patterns
 * (the JDK's filter syntax: {@code java.time.*}, {@code com.example.**}); anything not
 * allowed is refused, as are streams deeper ({@value #MAX_DEPTH}), with more objects
 * ({@value #MAX_REFERENCES}) or larger than fixed limits. Reading Java serialization from
 * a store trusts whoever can write to that store: keep write access to it as restricted
 * as the application's own secrets.
 *
 * @author fastsession authors
 */
public final class JdkAttributeCodec implements AttributeCodec {

	/**
	 * Deepest nesting of objects a stored value may have. Nested collections that share
	 * their members make decoding cost 2<sup>depth</sup> hash computations, so the limit
	 * is what real sessions need, not more: a Spring Security login context nests 6 deep,
	 * and the deepest such bomb within 16 decodes in about a millisecond.
	 */
	public static final int MAX_DEPTH = 16;

	/** Most objects (and back-references) a stored value may hold. */
	public static final int MAX_REFERENCES = 10_000;

	/** Classes allowed when no allow-list is given. */
	public static final List<String> DEFAULT_ALLOWED = List.of("java.lang.*", "java.util.*", "java.time.*",
			"java.math.*");

	private final ObjectInputFilter filter;

	/**
	 * Create a codec that allows {@link #DEFAULT_ALLOWED}.
	 */
	public JdkAttributeCodec() {
		this(DEFAULT_ALLOWED);
	}

	/**
	 * Create a codec that allows the given class patterns and refuses everything else.
	 * @param allowedPatterns patterns in {@link ObjectInputFilter.Config#createFilter}
	 * syntax
	 */
	public JdkAttributeCodec(List<String> allowedPatterns) {
		StringBuilder pattern = new StringBuilder(
				"maxdepth=" + MAX_DEPTH + ";maxrefs=" + MAX_REFERENCES + ";maxbytes=10485760;maxarray=1000000;");
		for (String allowed : allowedPatterns) {
			if (allowed.isBlank() || allowed.contains(";") || allowed.startsWith("!")) {
				throw new IllegalArgumentException("Invalid allow-list entry '" + allowed + "'");
			}
			pattern.append(allowed.strip()).append(';');
		}
		pattern.append("!*");
		this.filter = ObjectInputFilter.Config.createFilter(pattern.toString());
	}

	@Override
	public byte[] encode(Object value) {
		if (!(value instanceof Serializable)) {
			throw new AttributeCodecException(value.getClass().getName() + " is not Serializable");
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		catch (IOException ex) {
			throw new AttributeCodecException("Cannot serialize " + value.getClass().getName(), ex);
		}
		return bytes.toByteArray();
	}

	@Override
	public Object decode(byte[] bytes) {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			in.setObjectInputFilter(this.filter);
			return in.readObject();
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			throw new AttributeCodecException("Cannot deserialize stored value", ex);
		}
	}

	@Override
	public <T> T decode(byte[] bytes, Class<T> type) {
		Object value = decode(bytes);
		Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
		if (!boxed.isInstance(value)) {
			throw new AttributeCodecException(
					"Stored value is a " + value.getClass().getName() + ", not a " + type.getName());
		}
		@SuppressWarnings("unchecked")
		T result = (T) value;
		return result;
	}

	@Override
	public String toString() {
		return "jdk";
	}

}
