package io.fastsession.sample;

import java.io.IOException;

import io.fastsession.testing.KeepAliveClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One visitor on one keep-alive connection, cycling through everything a session does: an
 * anonymous read, creation, reads, writes, login (a regenerated id) and logout. Each
 * answer is checked against what the visitor did before, so a lost or misrouted write
 * shows up as well as a lost answer.
 */
final class KeepAliveVisitor {

	/** Requests in one cycle of {@link #step}. */
	static final int CYCLE = 9;

	private final KeepAliveClient client;

	private final String name;

	private int count;

	private int logins;

	KeepAliveVisitor(KeepAliveClient client, String name) {
		this.client = client;
		this.name = name;
	}

	/**
	 * Send the request for this step of the cycle and check its answer.
	 * @param step the step number, counted from 0
	 */
	void step(int step) throws IOException {
		switch (step % CYCLE) {
			case 0 -> {
				assertThat(this.client.cookie()).as("no session at the start of a cycle").isNull();
				expectCount(this.client.send("GET", "/api/counter", null), 0);
				assertThat(this.client.cookie()).as("an anonymous read sets no cookie").isNull();
			}
			case 1 -> {
				expectCount(this.client.send("POST", "/api/counter", null), ++this.count);
				assertThat(this.client.cookie()).as("a write creates the session").isNotNull();
			}
			case 2 -> expectCount(this.client.send("GET", "/api/counter", null), this.count);
			case 3 -> expectCount(this.client.send("POST", "/api/counter", null), ++this.count);
			case 4 -> expectStatus(this.client.send("PUT", "/api/attributes/visitor", "\"" + this.name + "\""), 204);
			case 5 -> {
				String before = this.client.cookie();
				String user = this.name + "-" + (++this.logins);
				KeepAliveClient.Response login = this.client.send("POST", "/api/login", "{\"user\":\"" + user + "\"}");
				expectStatus(login, 200);
				assertThat(this.client.cookie()).as("login regenerates the id").isNotNull().isNotEqualTo(before);
			}
			case 6 -> {
				KeepAliveClient.Response attributes = this.client.send("GET", "/api/attributes", null);
				expectStatus(attributes, 200);
				assertThat(attributes.body()).contains("\"count\":" + this.count)
					.contains("\"visitor\":\"" + this.name + "\"")
					.contains("\"user\":\"" + this.name + "-" + this.logins + "\"");
			}
			case 7 -> expectStatus(this.client.send("DELETE", "/api/attributes/visitor", null), 204);
			default -> {
				expectStatus(this.client.send("POST", "/api/logout", null), 204);
				assertThat(this.client.cookie()).as("logout expires the cookie").isNull();
				this.count = 0;
			}
		}
	}

	private void expectCount(KeepAliveClient.Response response, int expected) {
		expectStatus(response, 200);
		assertThat(response.body()).isEqualTo("{\"count\":" + expected + "}");
	}

	private static void expectStatus(KeepAliveClient.Response response, int status) {
		assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
	}

}
