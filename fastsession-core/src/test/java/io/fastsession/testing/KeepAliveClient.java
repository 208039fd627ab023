package io.fastsession.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 client that sends every request on one persistent connection, one after the
 * other, as a browser tab, curl with several URLs or a proxy's upstream connection does,
 * and keeps the {@code SESSION} cookie as a browser would. A request that gets no
 * complete answer within the bound fails with {@link NoAnswerException}: on a reused
 * connection a lost answer is a hang, not a slow response.
 */
public final class KeepAliveClient implements Closeable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final Duration bound;

	private String cookie;

	private int requests;

	public KeepAliveClient(int port, Duration bound) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
		this.socket.setSoTimeout((int) bound.toMillis());
		this.socket.setTcpNoDelay(true);
		this.in = new BufferedInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
		this.bound = bound;
	}

	/** The session cookie's value the client holds, or {@code null}. */
	public String cookie() {
		return this.cookie;
	}

	/**
	 * Send one request and read its whole answer on the same connection.
	 * @param method the method
	 * @param path the path
	 * @param json a JSON body or {@code null}
	 * @return the answer
	 * @throws NoAnswerException if no complete answer came within the bound
	 */
	public Response send(String method, String path, String json) throws IOException {
		byte[] body = (json != null) ? json.getBytes(StandardCharsets.UTF_8) : new byte[0];
		StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
		head.append("Host: 127.0.0.1\r\n");
		if (json != null) {
			head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
		}
		else if (!method.equals("GET")) {
			head.append("Content-Length: 0\r\n");
		}
		if (this.cookie != null) {
			head.append("Cookie: SESSION=").append(this.cookie).append("\r\n");
		}
		head.append("\r\n");
		this.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		this.out.write(body);
		this.out.flush();
		int sequence = ++this.requests;
		long start = System.nanoTime();
		Response response;
		try {
			response = readResponse();
		}
		catch (SocketTimeoutException ex) {
			throw new NoAnswerException("Request " + sequence + " on this connection (" + method + " " + path
					+ ") got no answer within " + this.bound.toMillis() + " ms");
		}
		if (response == null) {
			throw new NoAnswerException("Request " + sequence + " on this connection (" + method + " " + path
					+ "): the server closed the connection after "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms without an answer");
		}
		for (String setCookie : response.header("Set-Cookie")) {
			if (setCookie.startsWith("SESSION=")) {
				String value = setCookie.substring("SESSION=".length(), setCookie.indexOf(';'));
				boolean expired = value.isEmpty() || setCookie.toLowerCase(Locale.ROOT).contains("max-age=0");
				this.cookie = expired ? null : value;
			}
		}
		return response;
	}

	private Response readResponse() throws IOException {
		String statusLine = readLine(true);
		if (statusLine == null) {
			return null;
		}
		List<String> headers = new ArrayList<>();
		for (String line = readLine(); !line.isEmpty(); line = readLine()) {
			headers.add(line);
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		Response head = new Response(status, headers, "");
		byte[] body;
		if (head.header("Transfer-Encoding").stream().anyMatch((value) -> value.equalsIgnoreCase("chunked"))) {
			body = readChunked();
		}
		else {
			List<String> length = head.header("Content-Length");
			body = this.in.readNBytes(length.isEmpty() ? 0 : Integer.parseInt(length.get(0)));
		}
		return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private byte[] readChunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			int size = Integer.parseInt(readLine().trim(), 16);
			if (size == 0) {
				readLine();
				return body.toByteArray();
			}
			body.write(this.in.readNBytes(size));
			readLine();
		}
	}

	private String readLine() throws IOException {
		return readLine(false);
	}

	private String readLine(boolean allowEnd) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b; (b = this.in.read()) != '\n';) {
			if (b == -1) {
				if (line.size() == 0 && allowEnd) {
					return null;
				}
				throw new IOException("Connection closed inside a response");
			}
			line.write(b);
		}
		String text = line.toString(StandardCharsets.ISO_8859_1);
		return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param headers the header lines, {@code name: value}
	 * @param body the body, decoded as UTF-8
	 */
	public record Response(int status, List<String> headers, String body) {

		/**
		 * Return the values of a header.
		 * @param name the name, in any case
		 * @return its values, in order
		 */
		public List<String> header(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			return this.headers.stream()
				.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
				.map((line) -> line.substring(prefix.length()).trim())
				.toList();
		}

	}

	/**
	 * A request that got no answer on its connection.
	 */
	public static final class NoAnswerException extends IOException {

		NoAnswerException(String message) {
			super(message);
		}

	}

}
