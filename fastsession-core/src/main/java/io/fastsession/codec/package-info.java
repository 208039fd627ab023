/**
 * Attribute codecs: how attribute values become the bytes stores keep. JSON by default
 * (no type ids stored), Java serialization behind an allow-list for typed values.
 */
@NullMarked
package io.fastsession.codec;

import org.jspecify.annotations.NullMarked;
