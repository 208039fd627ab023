package io.fastsession;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What administration tools may see of a stored session: its key (a hash, never the id),
 * its principal and its times. Never its attributes.
 *
 * @param key the store key
 * @param principal the principal name, or {@code null}
 * @param creationTime when the session was created
 * @param lastAccessTime when it was last stored as accessed
 * @param expiresAt when it expires
 * @author fastsession authors
 */
public record SessionInfo(String key, @Nullable String principal, Instant creationTime, Instant lastAccessTime,
		Instant expiresAt) {

}
