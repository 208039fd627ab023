package io.fastsession.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The fastsession demo: a WebFlux application whose whole state lives in the session. It
 * runs on every provider by flags alone, for example
 * {@code --fastsession.provider=file --fastsession.file.directory=/tmp/sessions}.
 *
 * @author fastsession authors
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
