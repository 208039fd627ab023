/**
 * The store SPI ({@link io.fastsession.store.SessionStore}, the
 * {@link io.fastsession.store.SessionRecord} it keeps and the
 * {@link io.fastsession.store.SessionDelta} it applies), what the stores share, and one
 * sub-package per provider.
 */
@NullMarked
package io.fastsession.store;

import org.jspecify.annotations.NullMarked;
