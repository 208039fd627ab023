package io.fastsession;

import java.util.Map;

/**
 * Maps primitive classes to their wrappers.
 */
final class Primitives {

	private static final Map<Class<?>, Class<?>> WRAPPERS = Map.of(boolean.class, Boolean.class, byte.class, Byte.class,
			char.class, Character.class, short.class, Short.class, int.class, Integer.class, long.class, Long.class,
			float.class, Float.class, double.class, Double.class, void.class, Void.class);

	private Primitives() {
	}

	static Class<?> box(Class<?> type) {
		return type.isPrimitive() ? WRAPPERS.get(type) : type;
	}

}
