package io.fastsession.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small TCP proxy on loopback, in front of a real server, that a test can cut (every
 * connection dropped, new ones accepted and closed at once), take off the network (every
 * connection dropped, its port closed so that connecting is refused) and slow down (a
 * delay before each forwarded chunk), to simulate an outage, a partition or a slow
 * backend without touching the shared server.
 */
public final class TcpProxy implements AutoCloseable {

	private volatile ServerSocket server;

	private final int port;

	private final InetSocketAddress target;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean cut = new AtomicBoolean();

	private final AtomicLong delayMillis = new AtomicLong();

	private volatile boolean closed;

	private TcpProxy(InetSocketAddress target) throws IOException {
		this.target = target;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
		startAcceptor(this.server);
	}

	private static ServerSocket listen(int port) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
		return server;
	}

	private void startAcceptor(ServerSocket server) {
		Thread acceptor = new Thread(() -> accept(server), "tcp-proxy-" + this.port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy to a loopback server.
	 * @param host the target host
	 * @param port the target port
	 * @return the running proxy
	 */
	public static TcpProxy start(String host, int port) throws IOException {
		return new TcpProxy(new InetSocketAddress(host, port));
	}

	public int getPort() {
		return this.port;
	}

	/**
	 * Drop every connection and refuse new ones until {@link #restore()}.
	 */
	public void cut() {
		this.cut.set(true);
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/**
	 * Drop every connection and close the port, so that connecting is refused, as for a
	 * host that is unreachable, until {@link #restore()}.
	 */
	public synchronized void unreachable() {
		closeQuietly(this.server);
		cut();
	}

	/**
	 * Accept connections again.
	 * @throws IllegalStateException if the port cannot be opened again
	 */
	public synchronized void restore() {
		if (this.server.isClosed() && !this.closed) {
			try {
				this.server = listen(this.port);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot listen on port " + this.port + " again", ex);
			}
			startAcceptor(this.server);
		}
		this.cut.set(false);
	}

	/**
	 * Delay every forwarded chunk, in both directions.
	 * @param delay the delay, zero for none
	 */
	public void setDelay(Duration delay) {
		this.delayMillis.set(delay.toMillis());
	}

	private void accept(ServerSocket server) {
		while (!this.closed && !server.isClosed()) {
			try {
				Socket client = server.accept();
				if (this.cut.get()) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket();
				upstream.connect(this.target, 2000);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// the server socket closed, or the target is down: the client sees a
				// reset
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					long delay = this.delayMillis.get();
					if (delay > 0) {
						Thread.sleep(delay);
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// connection closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.server);
		cut();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing anyway
		}
	}

}
