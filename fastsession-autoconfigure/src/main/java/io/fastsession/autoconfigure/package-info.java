/**
 * Spring Boot auto-configuration for fastsession.
 */
@NullMarked
package io.fastsession.autoconfigure;

import org.jspecify.annotations.NullMarked;
