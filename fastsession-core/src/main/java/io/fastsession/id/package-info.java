/**
 * Session ids: the {@link io.fastsession.id.SessionIdGenerator} that makes them, the
 * {@link io.fastsession.id.SessionIdCodec} that turns them into what clients carry (plain
 * or HMAC-signed), and {@link io.fastsession.id.SessionKeys}, the hashes stores are keyed
 * by.
 */
@NullMarked
package io.fastsession.id;

import org.jspecify.annotations.NullMarked;
