package io.fastsession;

import org.jspecify.annotations.Nullable;

/**
 * Tells which user a session belongs to, for the principal index ("log out everywhere",
 * the sessions endpoint). Called when a session is written with changes, never on reads;
 * must be fast and must not block.
 *
 * @author fastsession authors
 */
@FunctionalInterface
public interface PrincipalNameResolver {

	/**
	 * Return the principal name of a session.
	 * @param session the session
	 * @return the name, or {@code null} for an anonymous session
	 */
	@Nullable String resolvePrincipalName(Session session);

	/**
	 * Return a resolver that reads a {@code String} attribute.
	 * @param attribute the attribute name
	 * @return the resolver
	 */
	static PrincipalNameResolver attribute(String attribute) {
		return (session) -> {
			Object value = session.get(attribute);
			return (value instanceof String name && !name.isBlank()) ? name : null;
		};
	}

}
