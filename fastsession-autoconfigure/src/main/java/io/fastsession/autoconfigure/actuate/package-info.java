/**
 * Actuator support for fastsession: health, metrics and the sessions endpoint.
 */
@NullMarked
package io.fastsession.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
