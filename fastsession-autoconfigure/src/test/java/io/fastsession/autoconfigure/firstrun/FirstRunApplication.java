package io.fastsession.autoconfigure.firstrun;

import io.fastsession.Session;
import io.fastsession.autoconfigure.FastSessionAutoConfiguration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A brand-new WebFlux application with the starter, as a new user writes it from the
 * README: the auto-configurations a WebFlux application gets, and fastsession's.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ JacksonAutoConfiguration.class, CodecsAutoConfiguration.class,
		NettyReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
		WebFluxAutoConfiguration.class, FastSessionAutoConfiguration.class })
class FirstRunApplication {

	@RestController
	static class Ids {

		/**
		 * Reads the id of a session that holds nothing: with lazy creation, that session
		 * is never stored and its id never sent.
		 */
		@GetMapping("/id")
		String id(Session session) {
			return session.getId();
		}

		/**
		 * What a handler whose client needs the id does: store something, so that the
		 * session is created and its id sent.
		 */
		@PostMapping("/id")
		String issue(Session session) {
			session.set("issued", true);
			return session.getId();
		}

	}

}
