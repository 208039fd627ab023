package io.fastsession.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over a plain socket, one request per connection, that sends
 * header bytes exactly as given: NUL, CR/LF, bytes that are not UTF-8. The hostile-input
 * tests need it because every real HTTP client refuses to send such headers.
 */
final class RawHttp {

	private RawHttp() {
	}

	static Response send(int port, String method, String path, byte[] cookieValue) throws IOException {
		return send(port, method, path, cookieValue, new byte[0]);
	}

	/**
	 * Send one request on a connection of its own.
	 * @param port the server's port on loopback
	 * @param method the method
	 * @param path the path
	 * @param cookieValue the raw value of the {@code SESSION} cookie, or {@code null}
	 * @param json a JSON body, empty for none
	 * @return the response
	 */
	static Response send(int port, String method, String path, byte[] cookieValue, byte[] json) throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + json.length + "\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		if (cookieValue != null) {
			request.writeBytes("Cookie: SESSION=".getBytes(StandardCharsets.ISO_8859_1));
			request.writeBytes(cookieValue);
			request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		}
		request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		request.writeBytes(json);
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			try {
				// No half-close after the request: Reactor Netty takes it for the client
				// going away and drops the exchange.
				out.write(request.toByteArray());
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer and close before reading an oversized request.
			}
			return Response.parse(readAll(socket.getInputStream()));
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n; (n = in.read(buffer)) != -1;) {
				bytes.write(buffer, 0, n);
			}
		}
		catch (java.net.SocketException ex) {
			// A reset after the response was sent (the server closed a connection that
			// still had unread request bytes) ends the response, it is not an error.
			if (bytes.size() == 0) {
				throw ex;
			}
		}
		return bytes.toByteArray();
	}

	record Response(int status, List<String> headers, String body) {

		/** Status of a connection the server closed without an answer. */
		static final int CLOSED = 0;

		static Response parse(byte[] raw) {
			if (raw.length == 0) {
				return new Response(CLOSED, List.of(), "");
			}
			String text = new String(raw, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (!text.startsWith("HTTP/1.1 ") || end < 0) {
				throw new IllegalStateException("Not an HTTP response: " + text);
			}
			String[] lines = text.substring(0, end).split("\r\n");
			int status = Integer.parseInt(lines[0].substring(9, 12));
			List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
			String body = text.substring(end + 4);
			boolean chunked = headers.stream()
				.anyMatch((line) -> line.toLowerCase(Locale.ROOT).replace(" ", "").equals("transfer-encoding:chunked"));
			return new Response(status, headers, chunked ? dechunk(body) : body);
		}

		private static String dechunk(String body) {
			StringBuilder out = new StringBuilder();
			int position = 0;
			while (true) {
				int lineEnd = body.indexOf("\r\n", position);
				int size = Integer.parseInt(body.substring(position, lineEnd).trim(), 16);
				if (size == 0) {
					return out.toString();
				}
				out.append(body, lineEnd + 2, lineEnd + 2 + size);
				position = lineEnd + 2 + size + 2;
			}
		}

		List<String> header(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			return this.headers.stream()
				.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
				.map((line) -> line.substring(prefix.length()).trim())
				.toList();
		}

	}

}
