package io.fastsession.sample;

import io.fastsession.testing.NeedsServer;
import io.fastsession.testing.TempPaths;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's page in a real browser: Debian's headless Chromium driven through its
 * ChromeDriver (both installed by .ci/run; nothing is downloaded at build time).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@NeedsServer
class BrowserTests {

	static final String CHROMIUM = System.getenv().getOrDefault("FASTSESSION_TEST_CHROMIUM", "/usr/bin/chromium");

	static final String CHROMEDRIVER = System.getenv()
		.getOrDefault("FASTSESSION_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");

	@LocalServerPort
	int port;

	WebDriver browser;

	WebDriverWait wait;

	Path profile;

	@BeforeEach
	void openBrowser() throws Exception {
		assertThat(Path.of(CHROMIUM)).as("Chromium (apt-get install chromium chromium-driver)").exists();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		this.profile = Files.createTempDirectory("fastsession-chromium");
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.profile != null) {
			TempPaths.delete(this.profile);
		}
	}

	@Test
	void pageKeepsItsStateInTheSession() {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		this.wait.until(ExpectedConditions.textToBe(By.id("count"), "0"));
		assertThat(this.browser.manage().getCookieNamed("SESSION")).as("no session before a write").isNull();

		this.browser.findElement(By.id("increment")).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("count"), "1"));
		this.browser.findElement(By.id("increment")).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("count"), "2"));
		Cookie first = this.browser.manage().getCookieNamed("SESSION");
		assertThat(first).isNotNull();
		assertThat(first.isHttpOnly()).isTrue();

		this.browser.navigate().refresh();
		this.wait.until(ExpectedConditions.textToBe(By.id("count"), "2"));

		this.browser.findElement(By.id("login-user")).sendKeys("dora");
		this.browser.findElement(By.id("login")).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("user"), "dora"));
		Cookie loggedIn = this.browser.manage().getCookieNamed("SESSION");
		assertThat(loggedIn.getValue()).as("login changes the id").isNotEqualTo(first.getValue());
		assertThat(this.browser.findElement(By.id("count")).getText()).isEqualTo("2");

		this.browser.findElement(By.id("logout")).click();
		this.wait.until(ExpectedConditions.textToBe(By.id("user"), "(anonymous)"));
		this.wait.until(ExpectedConditions.textToBe(By.id("count"), "0"));
		assertThat(this.browser.manage().getCookieNamed("SESSION")).as("logout clears the cookie").isNull();
	}

}
