package io.fastsession.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} with its private key, as PEM files in a
 * temporary directory, made with the JDK's {@code keytool} for servers that a test starts
 * with TLS.
 */
public final class TestCertificate implements AutoCloseable {

	private static final char[] PASSWORD = "fastsession".toCharArray();

	private final Path directory;

	private TestCertificate(Path directory) {
		this.directory = directory;
	}

	/**
	 * Make a new key pair and certificate (RSA 2048, valid for a day, subject alternative
	 * name {@code IP:127.0.0.1}).
	 * @return the certificate
	 */
	public static TestCertificate create() throws IOException, GeneralSecurityException, InterruptedException {
		Path directory = Files.createTempDirectory("fastsession-tls");
		Path keyStore = directory.resolve("server.p12");
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg",
				"RSA", "-keysize", "2048", "-validity", "1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
				"-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", new String(PASSWORD)))
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("keytool.log").toFile())
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("keytool failed: " + Files.readString(directory.resolve("keytool.log")));
		}
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			store.load(in, PASSWORD);
		}
		TestCertificate certificate = new TestCertificate(directory);
		Files.writeString(certificate.certificate(), pem("CERTIFICATE", store.getCertificate("server").getEncoded()),
				StandardCharsets.US_ASCII);
		Files.writeString(certificate.privateKey(), pem("PRIVATE KEY", store.getKey("server", PASSWORD).getEncoded()),
				StandardCharsets.US_ASCII);
		return certificate;
	}

	/**
	 * The certificate, PEM.
	 * @return its file
	 */
	public Path certificate() {
		return this.directory.resolve("server.crt");
	}

	/**
	 * The private key, PKCS #8 in PEM.
	 * @return its file
	 */
	public Path privateKey() {
		return this.directory.resolve("server.key");
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	@Override
	public void close() {
		TempPaths.delete(this.directory);
	}

}
