package io.fastsession.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
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
 * A memcached server owned by one test, on a free loopback port, that the test may stop
 * and start again without touching the shared servers.
 */
public final class MemcachedServerProcess implements AutoCloseable {

	private final int port;

	private final Path log;

	private Process process;

	private MemcachedServerProcess(int port) throws IOException {
		this.port = port;
		this.log = Files.createTempFile("fastsession-memcached", ".log");
	}

	public static MemcachedServerProcess start() throws IOException {
		MemcachedServerProcess server = new MemcachedServerProcess(freePort());
		server.startAgain();
		return server;
	}

	public int getPort() {
		return this.port;
	}

	public String getAddress() {
		return "127.0.0.1:" + this.port;
	}

	public synchronized void startAgain() throws IOException {
		List<String> command = new ArrayList<>(List.of(TestServers.memcachedServerBinary(), "-p",
				Integer.toString(this.port), "-l", "127.0.0.1", "-U", "0", "-m", "64"));
		if ("root".equals(System.getProperty("user.name"))) {
			command.addAll(List.of("-u", "root"));
		}
		this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(this.log.toFile()).start();
		Process started = this.process;
		Awaitility.await("memcached on port " + this.port)
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> {
				if (!started.isAlive()) {
					throw new IllegalStateException("memcached exited: " + Files.readString(this.log));
				}
				return command("version").startsWith("VERSION");
			});
	}

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
	 * Send one text-protocol command and return the first reply line(s).
	 * @param command the command, such as {@code mg key t}
	 * @return the reply
	 */
	public String command(String command) throws IOException {
		return command("127.0.0.1", this.port, command);
	}

	/**
	 * Send one text-protocol command to any memcached server.
	 * @param host the host
	 * @param port the port
	 * @param command the command
	 * @return the reply, up to its first line
	 */
	public static String command(String host, int port, String command) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder reply = new StringBuilder();
			int c;
			while ((c = in.read()) >= 0) {
				reply.append((char) c);
				if (reply.toString().endsWith("\r\n")) {
					break;
				}
			}
			return reply.toString().strip();
		}
	}

	@Override
	public void close() {
		stop();
		TempPaths.delete(this.log);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
