package io.fastsession.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A redis-server owned by one test, on a free loopback port, that the test may stop,
 * restart and reconfigure without touching the shared server.
 */
public final class RedisServerProcess implements AutoCloseable {

	private final int port;

	private final Path directory;

	private final int tlsPort;

	private final List<String> extraArguments;

	private Process process;

	private RedisServerProcess(int port, Path directory, int tlsPort, List<String> extraArguments) {
		this.port = port;
		this.directory = directory;
		this.tlsPort = tlsPort;
		this.extraArguments = extraArguments;
	}

	/**
	 * Start a server on a free port.
	 * @return the running server
	 */
	public static RedisServerProcess start() throws IOException {
		RedisServerProcess server = new RedisServerProcess(freePort(), Files.createTempDirectory("fastsession-redis"),
				0, List.of());
		server.startAgain();
		return server;
	}

	/**
	 * Start a server on two free ports: TLS on {@link #getTlsPort()} with the given
	 * certificate and key (clients are not asked for certificates), and plain text on
	 * {@link #getPort()}, which {@link #command(String)} uses.
	 * @param certificate the server's certificate, PEM
	 * @param privateKey its private key, PEM
	 * @return the running server
	 */
	public static RedisServerProcess startWithTls(Path certificate, Path privateKey) throws IOException {
		int tlsPort = freePort();
		RedisServerProcess server = new RedisServerProcess(freePort(), Files.createTempDirectory("fastsession-redis"),
				tlsPort,
				List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certificate.toString(),
						"--tls-key-file", privateKey.toString(), "--tls-ca-cert-file", certificate.toString(),
						"--tls-auth-clients", "no"));
		server.startAgain();
		return server;
	}

	public int getPort() {
		return this.port;
	}

	/**
	 * The TLS port of a server started with {@link #startWithTls(Path, Path)}.
	 * @return the port, 0 for a server without TLS
	 */
	public int getTlsPort() {
		return this.tlsPort;
	}

	public String getUrl() {
		return "redis://127.0.0.1:" + this.port;
	}

	/**
	 * Start the server again on the same port after {@link #stop()}.
	 */
	public synchronized void startAgain() throws IOException {
		List<String> arguments = new ArrayList<>(
				List.of(TestServers.redisServerBinary(), "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
						"--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
		arguments.addAll(this.extraArguments);
		this.process = new ProcessBuilder(arguments).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		Process started = this.process;
		Awaitility.await("redis-server on port " + this.port)
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> {
				if (!started.isAlive()) {
					throw new IllegalStateException(
							"redis-server exited: " + Files.readString(this.directory.resolve("redis.log")));
				}
				return command("PING").startsWith("+PONG");
			});
	}

	/**
	 * Stop the server (SIGTERM, then SIGKILL) and wait until it is gone.
	 */
	public synchronized void stop() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Send one command in the inline protocol and return the raw reply.
	 * @param command the command, e.g. {@code INFO commandstats}
	 * @return the reply as text
	 */
	public String command(String command) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[65536];
			StringBuilder reply = new StringBuilder();
			int read = in.read(buffer);
			while (read > 0) {
				reply.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
				if (isComplete(reply)) {
					break;
				}
				read = in.read(buffer);
			}
			return reply.toString();
		}
	}

	private static boolean isComplete(CharSequence reply) {
		String text = reply.toString();
		if (text.startsWith("$")) {
			int header = text.indexOf("\r\n");
			if (header < 0) {
				return false;
			}
			int length = Integer.parseInt(text.substring(1, header));
			return length < 0 || text.getBytes(StandardCharsets.UTF_8).length >= header + 2 + length + 2;
		}
		return text.endsWith("\r\n");
	}

	@Override
	public void close() {
		stop();
		TempPaths.delete(this.directory);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
