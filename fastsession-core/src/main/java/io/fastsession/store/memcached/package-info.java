/**
 * The memcached provider: one item per session, merged with gets and CAS, on
 * spymemcached.
 */
@NullMarked
package io.fastsession.store.memcached;

import org.jspecify.annotations.NullMarked;
