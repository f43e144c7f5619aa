package com.valuationflow.app.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver, with nothing downloaded: the
 * browser and driver paths are given, so Selenium Manager never runs. It records every request the
 * page makes (Chrome's performance log) and what the console reports (CSP refusals, script errors).
 */
final class Browser implements AutoCloseable {

  static final String CHROMIUM = System.getProperty("view.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getProperty("view.chromedriver", "/usr/bin/chromedriver");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChromeDriver driver;
  private final Path profile;
  private final Path screenshots;
  private final List<LogEntry> network = new ArrayList<>();
  private final List<LogEntry> console = new ArrayList<>();

  private Browser(ChromeDriver driver, Path profile, Path screenshots) {
    this.driver = driver;
    this.profile = profile;
    this.screenshots = screenshots;
  }

  static Browser start(Path screenshots) throws IOException {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new IllegalStateException(
          "The view's browser test needs Debian's Chromium and its driver: "
              + "apt-get install -y chromium chromium-driver (as .ci/run does)");
    }
    Path profile = Files.createTempDirectory("view-test-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--window-size=1200,1100",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    Files.createDirectories(screenshots);
    return new Browser(new ChromeDriver(service, options), profile, screenshots);
  }

  ChromeDriver driver() {
    return driver;
  }

  WebDriverWait waiting(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  void screenshot(String name) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), screenshots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Every request the pages sent since the browser started: URLs from Chromium's performance log,
   * but for those of the browser's own pages (its new-tab page loads {@code chrome://} resources).
   */
  List<String> requestedUrls() {
    network.addAll(driver.manage().logs().get(LogType.PERFORMANCE).getAll());
    List<String> urls = new ArrayList<>();
    for (LogEntry entry : network) {
      try {
        JsonNode message = JSON.readTree(entry.getMessage()).path("message");
        String document = message.path("params").path("documentURL").asText("");
        if (message.path("method").asText().equals("Network.requestWillBeSent")
            && !document.startsWith("chrome://")
            && !document.startsWith("chrome-untrusted://")) {
          urls.add(message.path("params").path("request").path("url").asText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return urls;
  }

  /** Forgets the requests and console messages so far. */
  void forget() {
    requestedUrls();
    consoleErrors();
    network.clear();
    console.clear();
  }

  /** Console messages at SEVERE: refused loads (CSP), failed requests, script errors. */
  List<String> consoleErrors() {
    console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
    return console.stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
