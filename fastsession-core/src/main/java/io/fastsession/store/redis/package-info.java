/**
 * The redis provider: one hash per session, on spring-data-redis reactive (Lettuce).
 */
@NullMarked
package io.fastsession.store.redis;

import org.jspecify.annotations.NullMarked;
