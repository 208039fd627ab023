/**
 * The file provider: one file per session in sharded directories.
 */
@NullMarked
package io.fastsession.store.file;

import org.jspecify.annotations.NullMarked;
