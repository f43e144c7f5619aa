package com.valuationflow.app.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.valuationflow.app.AppConfig;
import com.valuationflow.app.RunningApp;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The execution view in a real browser (Debian's headless Chromium): the seed's example submitted
 * from the form waits in {@code RequestValuation}, blue and marked "waiting", then turns green
 * without a reload; a {@code No callback} application turns red after its timeout. Nothing the
 * pages request may come from outside the app, and the console must stay free of errors (a
 * Content-Security-Policy refusal is one). Screenshots go to {@code target/view-screenshots}.
 */
class ExecutionViewBrowserTest {

  /** The mock valuer's delay: how long the seed's example visibly waits. */
  private static final Duration VALUER_DELAY = Duration.ofMillis(1500);

  /** A second of the definition lasts 10 ms: the 300 s valuation timeout is 3 s. */
  private static final Duration SECOND = Duration.ofMillis(10);

  private static final Duration VALUATION_TIMEOUT = Duration.ofSeconds(300);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static RunningApp app;
  private static Browser browser;
  private static ChromeDriver driver;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    app =
        RunningApp.start(
            vertx,
            AppConfig.defaults()
                .withValuerDelay(VALUER_DELAY)
                .withTimeCompressedTo(SECOND, VALUATION_TIMEOUT));
    browser = Browser.start(Path.of("target", "view-screenshots"));
    driver = browser.driver();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (app != null) {
        app.close();
      }
      RunningApp.await(vertx.close());
    }
  }

  @Test
  void theSeedsExampleWaitsThenSucceedsAndASilentValuerTimesOutInRed() throws Exception {
    driver.get(app.url("/"));
    submitFromTheForm("app-ref", "999");
    markThePage();

    browser.waiting(PATIENCE).until(stateIs("RequestValuation", "waiting"));
    assertThat(stateOf("RequestValuation", "class")).contains("state-waiting");
    assertThat(stateOf("RequestValuation", "text")).contains("waiting");
    assertThat(stateOf("Valued", "text")).contains("not reached");
    browser
        .waiting(PATIENCE)
        .until(page -> !page.findElements(By.id("valuation-reference")).isEmpty());
    assertThat(driver.findElement(By.id("valuation-reference")).getText()).startsWith("val-");
    assertThat(driver.findElement(By.id("times-out")).getText()).endsWith("UTC");
    assertThat(driver.findElement(By.id("execution-status")).getText()).contains("RUNNING");
    browser.screenshot("1-waiting");

    browser.waiting(PATIENCE).until(stateIs("RequestValuation", "succeeded"));
    browser.waiting(PATIENCE).until(stateIs("Valued", "succeeded"));
    browser
        .waiting(PATIENCE)
        .until(
            page ->
                page.findElement(By.id("execution-status")).getText().contains("SUCCEEDED")
                    && historyHas(page, "ExecutionSucceeded"));
    assertThat(stateOf("RequestValuation", "class")).contains("state-succeeded");
    assertThat(driver.findElements(By.id("waiting"))).isEmpty();
    assertThat(driver.findElement(By.id("output")).getText()).contains("propertyValue");
    assertThat(thePageWasNotReloaded()).isTrue();
    assertThat(historyIds())
        .as("each event shown once, in order")
        .isSorted()
        .doesNotHaveDuplicates();
    browser.screenshot("2-succeeded");

    driver.get(app.url("/"));
    submitFromTheForm("silent-1", "No callback");
    markThePage();
    browser.waiting(PATIENCE).until(stateIs("RequestValuation", "waiting"));
    browser.waiting(PATIENCE).until(stateIs("RequestValuation", "timed out"));
    browser.waiting(PATIENCE).until(stateIs("ValuationServiceTimedOut", "failed"));
    browser
        .waiting(PATIENCE)
        .until(page -> page.findElement(By.id("execution-status")).getText().contains("FAILED"));
    assertThat(stateOf("RequestValuation", "class")).contains("state-failed");
    assertThat(stateOf("ValuationServiceTimedOut", "class")).contains("state-failed");
    assertThat(stateOf("Valued", "text")).contains("not reached");
    assertThat(driver.findElement(By.id("error")).getText()).isEqualTo("ValuationServiceTimedOut");
    assertThat(thePageWasNotReloaded()).isTrue();
    browser.screenshot("3-timed-out");

    driver.get(app.url("/"));
    assertThat(driver.findElements(By.cssSelector("#applications tbody tr")))
        .extracting(row -> row.getAttribute("data-reference"))
        .containsSubsequence("silent-1", "app-ref");
    browser.screenshot("0-applications");
    driver.findElement(By.linkText("FAILED")).click();
    assertThat(driver.findElements(By.cssSelector("#applications tbody tr")))
        .extracting(row -> row.getAttribute("data-reference"))
        .contains("silent-1")
        .doesNotContain("app-ref");

    assertThat(browser.requestedUrls())
        .isNotEmpty()
        .allSatisfy(url -> assertThat(url).startsWith(app.url("/")));
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void whatAnApplicantSentIsShownAsTextNeverAsMarkup() {
    RunningApp.Response submitted =
        app.post(
            "/loan-applications",
            "{\"applicationReference\":\"hostile-1\",\"property\":{\"nameOrNumber\":"
                + "\"<b id='injected'>x</b><script>document.title='owned'</script>\","
                + "\"postcode\":\"PO1 1CE\"}}");
    assertThat(submitted.status()).isEqualTo(202);

    driver.get(app.url("/applications/hostile-1"));

    assertThat(driver.findElements(By.id("injected"))).isEmpty();
    assertThat(driver.getTitle()).doesNotContain("owned");
    // The live stream may redraw the input while it is read: read it again from the page then.
    String input =
        browser.waiting(PATIENCE).until(page -> page.findElement(By.id("input")).getText());
    assertThat(input).contains("<b id='injected'>");
  }

  /** The check of the pages' requests sees one that leaves the app (then forgets it). */
  @Test
  void theRequestCheckSeesARequestOutsideTheApp() {
    driver.get("data:text/html,<img src='http://outside.invalid/pixel.png'>");

    browser
        .waiting(PATIENCE)
        .until(
            page ->
                browser.requestedUrls().stream()
                    .anyMatch(url -> url.startsWith("http://outside.invalid/")));
    browser.forget();
  }

  private static void submitFromTheForm(String reference, String nameOrNumber) {
    driver.findElement(By.id("applicationReference")).sendKeys(reference);
    WebElement name = driver.findElement(By.id("nameOrNumber"));
    name.clear();
    name.sendKeys(nameOrNumber);
    driver.findElement(By.id("submit")).click();
    browser
        .waiting(PATIENCE)
        .until(page -> page.getCurrentUrl().endsWith("/applications/" + reference));
  }

  /** A mark on the page's window object: a reload would lose it. */
  private static void markThePage() {
    driver.executeScript("window.notReloaded = true;");
  }

  private static boolean thePageWasNotReloaded() {
    return Boolean.TRUE.equals(driver.executeScript("return window.notReloaded === true;"));
  }

  /**
   * A state's attribute, or its text for {@code "text"}, read in one script: the summary may be
   * replaced between finding an element and reading it.
   */
  private static String stateOf(String name, String attribute) {
    return (String)
        driver.executeScript(
            "const state = document.querySelector(\"g.state[data-state='\" + arguments[0] + \"']\");"
                + " return arguments[1] === 'text' ? state.textContent"
                + " : state.getAttribute(arguments[1]);",
            name,
            attribute);
  }

  private static java.util.function.Function<WebDriver, Boolean> stateIs(
      String name, String status) {
    return page ->
        status.equals(
            page.findElement(By.cssSelector("g.state[data-state='" + name + "']"))
                .getAttribute("data-status"));
  }

  private static boolean historyHas(WebDriver page, String type) {
    return page.findElements(By.cssSelector("#history tbody tr")).stream()
        .anyMatch(row -> row.getText().contains(type));
  }

  private static List<Long> historyIds() {
    return driver.findElements(By.cssSelector("#history tbody tr")).stream()
        .map(row -> Long.valueOf(row.getAttribute("data-event-id")))
        .toList();
  }
}
