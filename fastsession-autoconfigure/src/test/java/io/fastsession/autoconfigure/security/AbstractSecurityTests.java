package io.fastsession.autoconfigure.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.fastsession.SessionInfo;
import io.fastsession.SessionManager;
import io.fastsession.testing.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's login state in fastsession: login regenerates the id (fixation
 * protection), the login survives a restart and is shared by instances on a persistent
 * provider, logout ends it, and the principal index finds the user's sessions.
 */
abstract class AbstractSecurityTests {

	/**
	 * The test classpath has spring-boot-starter-jdbc; applications without a database
	 * leave it out.
	 */
	static final String NO_DATASOURCE = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
			+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

	private final List<ConfigurableApplicationContext> running = new ArrayList<>();

	/**
	 * Properties that select the provider under test.
	 */
	abstract String[] providerProperties();

	/**
	 * Whether sessions outlive the application (not the memory provider).
	 */
	boolean persistent() {
		return true;
	}

	@AfterEach
	void stopApplications() {
		this.running.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void loginChangesTheIdAndTheLoginLivesInFastsession() {
		WebTestClient client = client(start());
		String anonymous = client.get()
			.uri("/visit")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION")
			.getValue();
		String loggedIn = login(client, anonymous, "alice");
		assertThat(loggedIn).isNotEqualTo(anonymous);
		client.get()
			.uri("/me")
			.cookie("SESSION", loggedIn)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"user\":\"alice\",\"sameSession\":true}");
		client.get().uri("/me").cookie("SESSION", anonymous).exchange().expectStatus().isFound();
	}

	@Test
	void logoutEndsTheLogin() {
		WebTestClient client = client(start());
		String session = login(client, null, "alice");
		client.post().uri("/logout").cookie("SESSION", session).exchange().expectStatus().isFound();
		client.get().uri("/me").cookie("SESSION", session).exchange().expectStatus().isFound();
	}

	@Test
	void theUsersSessionsCanBeFoundAndRevoked() {
		ConfigurableApplicationContext app = start();
		WebTestClient client = client(app);
		String first = login(client, null, "bob");
		String second = login(client, null, "bob");
		SessionManager manager = app.getBean(SessionManager.class);
		List<SessionInfo> sessions = manager.findByPrincipal("bob").collectList().block(Duration.ofSeconds(10));
		assertThat(sessions).hasSize(2).allSatisfy((info) -> assertThat(info.principal()).isEqualTo("bob"));
		assertThat(manager.deleteByPrincipal("bob").block(Duration.ofSeconds(10))).isEqualTo(2);
		client.get().uri("/me").cookie("SESSION", first).exchange().expectStatus().isFound();
		client.get().uri("/me").cookie("SESSION", second).exchange().expectStatus().isFound();
	}

	@Test
	void loginSurvivesARestartAndIsSharedBetweenInstances() {
		if (!persistent()) {
			return;
		}
		ConfigurableApplicationContext first = start();
		ConfigurableApplicationContext second = start();
		String session = login(client(first), null, "alice");
		client(second).get()
			.uri("/me")
			.cookie("SESSION", session)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"user\":\"alice\"}");
		first.close();
		second.close();
		client(start()).get()
			.uri("/me")
			.cookie("SESSION", session)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"user\":\"alice\"}");
	}

	/**
	 * Spring Security's concurrent-session control through its own DSL, with one session
	 * per user: a login from another client ends the first client's session, also on the
	 * other instance of a persistent provider, and a re-login in the same session keeps
	 * it.
	 */
	@Test
	void aSecondLoginEndsTheFirstSessionOnEveryInstance() {
		ConfigurableApplicationContext first = start("test.max-sessions=1");
		ConfigurableApplicationContext second = persistent() ? start("test.max-sessions=1") : first;
		String laptop = login(client(first), null, "carol");
		client(second).get().uri("/me").cookie("SESSION", laptop).exchange().expectStatus().isOk();
		String phone = login(client(second), null, "carol");
		client(first).get().uri("/me").cookie("SESSION", laptop).exchange().expectStatus().isFound();
		client(second).get().uri("/me").cookie("SESSION", laptop).exchange().expectStatus().isFound();
		client(first).get().uri("/me").cookie("SESSION", phone).exchange().expectStatus().isOk();
		String again = login(client(first), phone, "carol");
		client(second).get().uri("/me").cookie("SESSION", again).exchange().expectStatus().isOk();
		assertThat(first.getBean(SessionManager.class)
			.findByPrincipal("carol")
			.collectList()
			.block(Duration.ofSeconds(10))).hasSize(1);
	}

	@Test
	void aLoginBeyondTheLimitIsRefusedWithThePreventStrategy() {
		ConfigurableApplicationContext first = start("test.max-sessions=1", "test.when-exceeded=prevent");
		ConfigurableApplicationContext second = persistent()
				? start("test.max-sessions=1", "test.when-exceeded=prevent") : first;
		String laptop = login(client(first), null, "dave");
		client(second).post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("username", "dave").with("password", "secret"))
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.valueEquals("Location", "/login?error");
		client(second).get().uri("/me").cookie("SESSION", laptop).exchange().expectStatus().isOk();
	}

	String login(WebTestClient client, String session, String user) {
		WebTestClient.RequestBodySpec request = client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED);
		if (session != null) {
			request.cookie("SESSION", session);
		}
		ResponseCookie cookie = request.body(BodyInserters.fromFormData("username", user).with("password", "secret"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.FOUND)
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(cookie).as("session cookie after login").isNotNull();
		return cookie.getValue();
	}

	ConfigurableApplicationContext start(String... extraProperties) {
		String[] args = Stream.of(Stream.of("--server.port=0", "--spring.main.banner-mode=off",
				// A cold application's first store call on a loaded CI machine
				// can take longer than the production default; outages are tested
				// elsewhere.
				"--fastsession.store-timeout=10s"), Stream.of(providerProperties()).map((property) -> "--" + property),
				Stream.of(extraProperties).map((property) -> "--" + property))
			.flatMap((stream) -> stream)
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SecuredApplication.class).run(args);
		this.running.add(context);
		return context;
	}

	static WebTestClient client(ConfigurableApplicationContext context) {
		return TestClients.keepAlive(context);
	}

}
