package io.fastsession.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcUrlsTests {

	@Test
	void describeKeepsHostPortAndDatabaseOnly() {
		assertThat(JdbcUrls.describe("jdbc:postgresql://db:5432/app?user=app&password=secret"))
			.isEqualTo("db:5432/app");
		assertThat(JdbcUrls.describe("jdbc:mysql://app:secret@db:3306/app")).isEqualTo("db:3306/app");
		assertThat(JdbcUrls.describe("jdbc:mariadb://db/app;password=secret")).isEqualTo("db/app");
		assertThat(JdbcUrls.describe("jdbc:postgresql:app")).isEqualTo("app");
		assertThat(JdbcUrls.describe("jdbc:mysql://a:1,b:2/app?password=x")).isEqualTo("a:1,b:2/app");
	}

}
