/**
 * Ahead-of-time processing support: the runtime hints fastsession needs.
 */
@NullMarked
package io.fastsession.aot;

import org.jspecify.annotations.NullMarked;
