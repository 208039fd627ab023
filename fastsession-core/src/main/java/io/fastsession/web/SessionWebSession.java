package io.fastsession.web;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.fastsession.Session;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.server.WebSession;

/**
 * The {@link WebSession} view of a {@link Session}: reads and writes go straight to the
 * session, so both views always agree. Saving is the {@link SessionWebFilter}'s job, at
 * commit.
 */
final class SessionWebSession implements WebSession {

	private final Session session;

	private final Map<String, Object> attributes;

	private volatile boolean started;

	SessionWebSession(Session session) {
		this.session = session;
		this.attributes = new AttributeMap(session);
	}

	@Override
	public String getId() {
		return this.session.getId();
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	@Override
	public void start() {
		this.started = true;
	}

	@Override
	public boolean isStarted() {
		return this.started || !this.session.isNew() || !this.session.getAttributeNames().isEmpty();
	}

	@Override
	public Mono<Void> changeSessionId() {
		return Mono.fromRunnable(() -> {
			if (!this.session.isInvalidated()) {
				this.session.regenerateId();
			}
		});
	}

	@Override
	public Mono<Void> invalidate() {
		return Mono.fromRunnable(this.session::invalidate);
	}

	/**
	 * Does nothing: the session is written once, when the response commits.
	 */
	@Override
	public Mono<Void> save() {
		return Mono.empty();
	}

	@Override
	public boolean isExpired() {
		return this.session.isInvalidated();
	}

	@Override
	public Instant getCreationTime() {
		return this.session.getCreationTime();
	}

	@Override
	public Instant getLastAccessTime() {
		return this.session.getLastAccessTime();
	}

	@Override
	public void setMaxIdleTime(Duration maxIdleTime) {
		if (!this.session.isInvalidated()) {
			this.session.setMaxIdleTime(maxIdleTime);
		}
	}

	@Override
	public Duration getMaxIdleTime() {
		return this.session.getMaxIdleTime();
	}

	/**
	 * A live map over the session's attributes. Writes after invalidation are ignored, as
	 * WebFlux's own sessions do, so a logout handler that clears an attribute after
	 * another invalidated the session does not fail.
	 */
	private static final class AttributeMap extends AbstractMap<String, Object> {

		private final Session session;

		AttributeMap(Session session) {
			this.session = session;
		}

		@Override
		public @Nullable Object get(Object key) {
			return (key instanceof String name) ? this.session.get(name) : null;
		}

		@Override
		public boolean containsKey(Object key) {
			return (key instanceof String name) && this.session.getAttributeNames().contains(name);
		}

		@Override
		public @Nullable Object put(String key, Object value) {
			Objects.requireNonNull(value, "WebSession attributes cannot be null");
			if (this.session.isInvalidated()) {
				return null;
			}
			Object previous = this.session.get(key);
			this.session.setTyped(key, value);
			return previous;
		}

		@Override
		public @Nullable Object remove(Object key) {
			if (!(key instanceof String name) || this.session.isInvalidated()) {
				return null;
			}
			Object previous = this.session.get(name);
			this.session.remove(name);
			return previous;
		}

		@Override
		public void clear() {
			if (!this.session.isInvalidated()) {
				this.session.clear();
			}
		}

		@Override
		public int size() {
			return this.session.getAttributeNames().size();
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return new AbstractSet<>() {

				@Override
				public Iterator<Entry<String, Object>> iterator() {
					Iterator<Entry<String, Object>> snapshot = AttributeMap.this.session.getAttributes()
						.entrySet()
						.iterator();
					return new Iterator<>() {

						private @Nullable String current;

						@Override
						public boolean hasNext() {
							return snapshot.hasNext();
						}

						@Override
						public Entry<String, Object> next() {
							Entry<String, Object> entry = snapshot.next();
							this.current = entry.getKey();
							return new SimpleImmutableEntry<>(entry);
						}

						@Override
						public void remove() {
							if (this.current == null) {
								throw new IllegalStateException();
							}
							AttributeMap.this.remove(this.current);
							this.current = null;
						}

					};
				}

				@Override
				public int size() {
					return AttributeMap.this.size();
				}

			};
		}

	}

}
