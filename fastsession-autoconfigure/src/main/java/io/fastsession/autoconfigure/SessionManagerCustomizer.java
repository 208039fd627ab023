package io.fastsession.autoconfigure;

import io.fastsession.SessionManager;

/**
 * Customizes the auto-configured {@link SessionManager} before it is built. Beans of this
 * type are applied in order.
 *
 * @author fastsession authors
 */
@FunctionalInterface
public interface SessionManagerCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder, with every property already applied
	 */
	void customize(SessionManager.Builder builder);

}
