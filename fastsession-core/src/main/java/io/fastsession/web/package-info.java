/**
 * WebFlux integration: the {@link io.fastsession.web.SessionWebFilter}, the id transports
 * (cookie, header, query), the {@code Session} controller argument and the helper for
 * functional endpoints.
 */
@NullMarked
package io.fastsession.web;

import org.jspecify.annotations.NullMarked;
