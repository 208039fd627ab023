/**
 * The redis provider: one hash per session, on Boot's Lettuce connection factory (its
 * asynchronous API for a request's commands, Spring Data Redis's reactive connection for
 * the rest).
 */
@NullMarked
package io.fastsession.store.redis;

import org.jspecify.annotations.NullMarked;
