/**
 * Spring Security integration: a {@code ReactiveSessionRegistry} on fastsession's
 * principal index, for concurrent-session control on every provider and across instances.
 */
@NullMarked
package io.fastsession.security;

import org.jspecify.annotations.NullMarked;
