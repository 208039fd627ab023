/**
 * Auto-configuration of fastsession's Spring Security integration.
 */
@NullMarked
package io.fastsession.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
