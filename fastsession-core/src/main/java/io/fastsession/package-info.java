/**
 * Session engine: the {@link io.fastsession.Session} API, the
 * {@link io.fastsession.SessionManager} that owns the request lifecycle, the
 * {@link io.fastsession.SessionStore} SPI implemented by every provider, and the id and
 * attribute codecs.
 */
@NullMarked
package io.fastsession;

import org.jspecify.annotations.NullMarked;
