/**
 * Support shared by the session stores.
 */
@NullMarked
package io.fastsession.store;

import org.jspecify.annotations.NullMarked;
