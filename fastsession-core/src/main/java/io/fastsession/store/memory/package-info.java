/**
 * The memory provider: sessions in a bounded Caffeine cache.
 */
@NullMarked
package io.fastsession.store.memory;

import org.jspecify.annotations.NullMarked;
