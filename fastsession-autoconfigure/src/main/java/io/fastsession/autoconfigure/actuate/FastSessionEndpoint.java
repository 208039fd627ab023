package io.fastsession.autoconfigure.actuate;

import java.util.Map;

import io.fastsession.SessionManager;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code fastsession} endpoint: the sessions of a user, and revoking one or all of
 * them. Sessions are shown by their store key, a hash that cannot be used as a cookie,
 * with their times; never their ids or attributes.
 *
 * <pre>
 * GET    /actuator/fastsession?username=alice   the sessions of alice
 * DELETE /actuator/fastsession/{key}            revoke one session
 * DELETE /actuator/fastsession?username=alice   revoke every session of alice
 * </pre>
 *
 * @author fastsession authors
 */
@Endpoint(id = "fastsession")
public class FastSessionEndpoint {

	private final SessionManager manager;

	public FastSessionEndpoint(SessionManager manager) {
		this.manager = manager;
	}

	@ReadOperation
	public Mono<WebEndpointResponse<Object>> sessionsOf(String username) {
		return this.manager.findByPrincipal(username)
			.collectList()
			.map((sessions) -> new WebEndpointResponse<Object>(Map.of("username", username, "sessions", sessions)))
			.onErrorResume(FastSessionEndpoint::isUnsupported, (ex) -> Mono.just(unsupported()));
	}

	@DeleteOperation
	public Mono<WebEndpointResponse<Object>> revoke(@Selector String key) {
		return this.manager.deleteByKey(key)
			.map((deleted) -> deleted ? new WebEndpointResponse<Object>(Map.of("revoked", 1), 200)
					: new WebEndpointResponse<Object>(WebEndpointResponse.STATUS_NOT_FOUND));
	}

	@DeleteOperation
	public Mono<WebEndpointResponse<Object>> revokeAllOf(String username) {
		return this.manager.deleteByPrincipal(username)
			.map((count) -> new WebEndpointResponse<Object>(Map.of("username", username, "revoked", count)))
			.onErrorResume(FastSessionEndpoint::isUnsupported, (ex) -> Mono.just(unsupported()));
	}

	private static boolean isUnsupported(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof UnsupportedOperationException) {
				return true;
			}
		}
		return false;
	}

	private static WebEndpointResponse<Object> unsupported() {
		return new WebEndpointResponse<>(
				Map.of("error", "This session store cannot find sessions by user: it keeps no principal index"), 501);
	}

}
