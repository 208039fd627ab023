package io.fastsession.web;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fastsession.Session;
import io.fastsession.SessionCommit;
import io.fastsession.SessionManager;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The session of one exchange: loaded at most once, on first demand, and committed at
 * most once, when the response commits or the handler completes. Answers of stores that
 * are not in memory come back on the connection's event loop before the exchange goes on
 * (see {@link ConnectionEventLoop} for why).
 */
final class RequestSession {

	static final String ATTRIBUTE = RequestSession.class.getName();

	private final SessionManager manager;

	private final SessionIdResolver resolver;

	private final ServerWebExchange exchange;

	private final AtomicBoolean committed = new AtomicBoolean();

	private @Nullable Mono<Session> session;

	/** The loaded session, once loading succeeded. */
	private volatile @Nullable Session loaded;

	/**
	 * The connection's event loop, or {@code null} on a server other than Reactor Netty.
	 */
	private final @Nullable ConnectionEventLoop eventLoop;

	/** Why a synchronous load failed, so that it is not retried within the exchange. */
	private @Nullable RuntimeException loadFailure;

	RequestSession(SessionManager manager, SessionIdResolver resolver, ServerWebExchange exchange,
			@Nullable ConnectionEventLoop eventLoop) {
		this.manager = manager;
		this.resolver = resolver;
		this.exchange = exchange;
		this.eventLoop = eventLoop;
	}

	/**
	 * The session, loaded on first demand. Requests that never ask for it cost nothing:
	 * no store access and no commit action on the response.
	 */
	synchronized Mono<Session> getSession() {
		Session done = this.loaded;
		if (done != null) {
			return Mono.just(done);
		}
		if (this.session == null) {
			this.exchange.getResponse().beforeCommit(this::commit);
			Mono<Session> loading = this.manager.load(this.resolver.resolveSessionIds(this.exchange));
			this.session = (loading instanceof Callable<?> synchronous) ? Mono.fromCallable(() -> loadOnce(synchronous))
					: backOnEventLoop(loading).doOnNext((value) -> this.loaded = value).cache();
		}
		return this.session;
	}

	/**
	 * Load from a synchronous source (the manager gives one for in-memory stores) by
	 * calling it rather than subscribing through {@code cache()}: still on subscription,
	 * still once, the failure included.
	 */
	private synchronized Session loadOnce(Callable<?> loading) throws Exception {
		Session done = this.loaded;
		if (done != null) {
			return done;
		}
		if (this.loadFailure != null) {
			throw this.loadFailure;
		}
		try {
			Session value = (Session) loading.call();
			if (value == null) {
				throw new IllegalStateException("The session manager loaded no session");
			}
			this.loaded = value;
			return value;
		}
		catch (RuntimeException ex) {
			this.loadFailure = ex;
			throw ex;
		}
	}

	/**
	 * The scheduler that times out this exchange's store calls: the connection's event
	 * loop, for stores that are not in memory; {@code null} for the manager's default.
	 */
	@Nullable Scheduler storeTimer() {
		return (this.eventLoop != null && !this.manager.getStore().isInMemory()) ? this.eventLoop.timer() : null;
	}

	Mono<Void> commit() {
		Mono<Session> pending;
		synchronized (this) {
			pending = this.session;
		}
		if (pending == null || !this.committed.compareAndSet(false, true)) {
			return Mono.empty();
		}
		Session done = this.loaded;
		if (done != null) {
			// The common read-only request: decided without assembling a pipeline.
			if (this.manager.commitIfNothingToWrite(done)) {
				return Mono.empty();
			}
			if (this.manager.getStore().isInMemory()) {
				return commitInPlace(done);
			}
			return backOnEventLoop(this.manager.commit(done)).doOnNext(this::apply).then();
		}
		// A session that failed to load has nothing to commit; the failure was reported
		// then.
		return backOnEventLoop(pending.onErrorResume((ex) -> Mono.empty()).flatMap(this.manager::commit))
			.doOnNext(this::apply)
			.then();
	}

	/**
	 * Commit to an in-memory store, which answers on the calling thread: the result is
	 * applied to the response at once, without a pipeline around it. Should the answer
	 * not be there yet, it is applied when it comes.
	 */
	private Mono<Void> commitInPlace(Session done) {
		Mono<SessionCommit> commit = this.manager.commitNow(done);
		if (!(commit instanceof Callable<?> result)) {
			return commit.doOnNext(this::apply).then();
		}
		try {
			SessionCommit value = (SessionCommit) result.call();
			if (value != null) {
				apply(value);
			}
			return Mono.empty();
		}
		catch (Exception ex) {
			return Mono.error(ex);
		}
	}

	/**
	 * Deliver a store's answer, value or failure, on the connection's event loop.
	 * In-memory stores answer on the calling thread and need no hand-off.
	 */
	private <T> Mono<T> backOnEventLoop(Mono<T> answer) {
		if (this.manager.getStore().isInMemory()) {
			return answer;
		}
		return (this.eventLoop != null) ? this.eventLoop.publishOn(answer) : answer;
	}

	private void apply(SessionCommit commit) {
		boolean idSent = switch (commit.getAction()) {
			case NONE -> false;
			case SEND_ID -> {
				this.resolver.setSessionId(this.exchange, value(commit));
				yield true;
			}
			case REFRESH -> this.resolver.refreshSessionId(this.exchange, () -> value(commit));
			case EXPIRE -> {
				this.resolver.expireSession(this.exchange);
				yield true;
			}
		};
		if (idSent) {
			preventSharedCaching(this.exchange.getResponse().getHeaders());
		}
	}

	private static String value(SessionCommit commit) {
		String value = commit.getClientValue();
		if (value == null) {
			throw new IllegalStateException("No id in " + commit);
		}
		return value;
	}

	/**
	 * A response that carries a session id must not be stored by a shared cache, or the
	 * next visitor would receive it.
	 */
	private static void preventSharedCaching(HttpHeaders headers) {
		String cacheControl = headers.getCacheControl();
		if (cacheControl == null || !(cacheControl.contains("no-store") || cacheControl.contains("private"))
				|| cacheControl.contains("public")) {
			headers.setCacheControl("no-store");
		}
	}

}
