/**
 * The session API: {@link io.fastsession.Session}, the
 * {@link io.fastsession.SessionManager} that owns the request lifecycle, listeners and
 * the exceptions a session's user may meet. The store SPI and its implementations are in
 * {@link io.fastsession.store}, ids in {@link io.fastsession.id}, attribute codecs in
 * {@link io.fastsession.codec}, the WebFlux integration in {@link io.fastsession.web}.
 */
@NullMarked
package io.fastsession;

import org.jspecify.annotations.NullMarked;
