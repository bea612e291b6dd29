package dev.tributary.sla.status;

import static dev.tributary.sla.status.StatusEvidence.MAINTENANCE_DAY;
import static dev.tributary.sla.status.StatusEvidence.OUTAGE_DAY;
import static dev.tributary.sla.status.StatusEvidence.reportFigure;
import static dev.tributary.sla.status.StatusEvidence.rotateLink;
import static dev.tributary.sla.status.StatusEvidence.service;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.Tables;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.sla.service.MonthCloser;
import dev.tributary.testsupport.HeadlessChromium;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.TestTools;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The status pages in the machine's headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, through {@code scripts/test-tools.sh}), with JavaScript switched off: the pages
 * must work without it. Against this test's sla-evaluator and PostgreSQL, with the evidence of
 * {@link StatusEvidence}. Screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class StatusPageBrowserTest {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static ChromeDriver browser;

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject MonthCloser closer;

  /**
   * The system's Chromium, installed by the project's script when missing. Outside CI a machine
   * without it skips these tests and says so; in CI ({@code CI=true}) that is a failure.
   */
  static TestTools.Chromium chromium() {
    try {
      return TestTools.chromium();
    } catch (RuntimeException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort(
          "skipped: headless Chromium and its ChromeDriver are not available ("
              + e.getMessage()
              + "); scripts/test-tools.sh chromium installs them; with CI=true this fails");
      return null;
    }
  }

  @BeforeAll
  static void startBrowser() throws IOException {
    chromium();
    // JavaScript off: the pages are server-rendered and must not need it.
    browser =
        HeadlessChromium.start(
            List.of("--window-size=1280,2000"),
            Map.of("profile.managed_default_content_settings.javascript", 2));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @BeforeEach
  void seed() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
    StatusEvidence.seed(clock);
  }

  /** Polls the browser's state with a deadline (rendering and hover are asynchronous). */
  static org.awaitility.core.ConditionFactory poll() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50));
  }

  static String url(String path) {
    return "http://localhost:" + RestAssured.port + path;
  }

  static void open(String path) {
    browser.get(url(path));
    poll().until(() -> !browser.findElements(By.tagName("footer")).isEmpty());
  }

  static void screenshot(String name) throws IOException {
    Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  static WebElement tip(String day) {
    return browser.findElement(By.id("tip-day-" + day));
  }

  static void moveMouseAway() {
    new Actions(browser).moveToElement(browser.findElement(By.tagName("h1"))).perform();
  }

  @Test
  void anOutageDayShowsItsColourAndMinutesOnHoverAndFocus() throws IOException {
    open("/status");
    assertFalse(browser.getPageSource().contains("<script"), "no script on the page");

    WebElement outage = browser.findElement(By.id("day-" + OUTAGE_DAY));
    assertTrue(outage.getAttribute("class").contains("lvl-major"), outage.getAttribute("class"));
    assertEquals("rgba(192, 57, 43, 1)", outage.getCssValue("background-color"));
    assertTrue(
        outage.getCssValue("background-image").contains("repeating-linear-gradient"),
        "a pattern, not only a colour");
    assertFalse(tip(OUTAGE_DAY).isDisplayed(), "the tooltip waits for hover or focus");

    new Actions(browser).moveToElement(outage).perform();
    poll().until(() -> tip(OUTAGE_DAY).isDisplayed());
    String text = tip(OUTAGE_DAY).getText();
    assertTrue(text.contains("72 minutes unavailable"), text);
    assertTrue(text.contains("every probe of track failed"), text);
    assertTrue(text.contains("outage (60 minutes or more unavailable)"), text);
    screenshot("status-page.png");

    // The keyboard: focusing a cell shows its tooltip, Tab moves to the next day.
    moveMouseAway();
    poll().until(() -> !tip(OUTAGE_DAY).isDisplayed());
    WebElement before = browser.findElement(By.id("day-2026-03-09"));
    before.sendKeys(Keys.SHIFT);
    assertEquals("day-2026-03-09", browser.switchTo().activeElement().getAttribute("id"));
    poll().until(() -> tip("2026-03-09").isDisplayed());
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertEquals("day-" + OUTAGE_DAY, browser.switchTo().activeElement().getAttribute("id"));
    poll().until(() -> tip(OUTAGE_DAY).isDisplayed());
    poll().until(() -> !tip("2026-03-09").isDisplayed());
    assertTrue(tip(OUTAGE_DAY).getText().contains("72 minutes unavailable"));

    String row = browser.findElement(By.id("row-day-" + OUTAGE_DAY)).getText();
    assertTrue(row.contains("72 minutes unavailable"), row);
  }

  @Test
  void aMaintenanceWindowShowsAsMaintenanceNotDowntime() {
    open("/status");
    WebElement day = browser.findElement(By.id("day-" + MAINTENANCE_DAY));
    assertTrue(day.getAttribute("class").contains("lvl-maintenance"), day.getAttribute("class"));
    assertEquals("rgba(47, 111, 181, 1)", day.getCssValue("background-color"));
    new Actions(browser).moveToElement(day).perform();
    poll().until(() -> tip(MAINTENANCE_DAY).isDisplayed());
    String text = tip(MAINTENANCE_DAY).getText();
    assertTrue(text.contains("120 minutes scheduled maintenance (excluded)"), text);
    assertFalse(text.contains("unavailable"), text);
    assertEquals("120 min", browser.findElement(By.id("month-maintenance")).getText());
    assertEquals("75 min", browser.findElement(By.id("month-unavailable")).getText());
    List<String> incidents =
        browser.findElements(By.cssSelector(".incident h3")).stream()
            .map(WebElement::getText)
            .toList();
    assertEquals(3, incidents.size(), incidents.toString());
    assertTrue(incidents.stream().noneMatch(i -> i.contains("120")), incidents.toString());

    // Upcoming: in UTC and Pacific Time, with whether its notice qualified.
    WebElement upcoming = browser.findElement(By.cssSelector(".window.scheduled"));
    String window = upcoming.getText();
    assertTrue(window.contains("storage migration"), window);
    assertTrue(window.contains("2026-03-21 02:00 UTC to 2026-03-21 03:00 UTC"), window);
    assertTrue(window.contains("2026-03-20 19:00 PDT to 2026-03-20 20:00 PDT"), window);
    assertTrue(window.contains("Notice did not qualify"), window);
  }

  @Test
  void thePlatformDigitsAreTheReportApisAndEveryEndpointIsListed() {
    String figure = reportFigure(PlatformStub.UTC_WS, "2026-03");
    open("/status");
    assertEquals(figure, browser.findElement(By.id("availability-value")).getText());
    assertEquals("99.8314", figure);
    List<WebElement> components = browser.findElements(By.cssSelector(".component"));
    assertEquals(6, components.size());
    for (WebElement c : components) {
      assertTrue(c.getText().contains("Operational"), c.getText());
    }
    assertEquals(
        "All Systems Operational", browser.findElement(By.id("overall")).getText().substring(2));
    assertEquals(1, browser.findElements(By.tagName("main")).size());
    assertEquals(1, browser.findElements(By.tagName("nav")).size());
    assertEquals(1, browser.findElements(By.tagName("header")).size());
    assertEquals(90, browser.findElements(By.cssSelector(".bar .cell")).size());
  }

  @Test
  void theDarkSchemeIsFollowed() throws IOException {
    browser.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    try {
      open("/status");
      assertEquals(
          "rgba(13, 17, 23, 1)",
          browser.findElement(By.tagName("body")).getCssValue("background-color"));
      screenshot("status-page-dark.png");
    } finally {
      browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }
    open("/status");
    assertEquals(
        "rgba(255, 255, 255, 1)",
        browser.findElement(By.tagName("body")).getCssValue("background-color"));
  }

  @Test
  void theWorkspacePageShowsItsContractMonthAndRefusesAWrongLink() throws IOException {
    closer.closeDueMonths().await().atMost(Duration.ofMinutes(2));
    String link = rotateLink(PlatformStub.PACIFIC_WS);
    String report = "/v1/workspaces/" + PlatformStub.PACIFIC_WS + "/reports/2026-03";
    int budgetLeft =
        service().get(report).then().statusCode(200).extract().path("errorBudgetRemainingMinutes");

    open(link);
    assertFalse(browser.getPageSource().contains("<script"));
    assertEquals("Pacific Co: SLA status", browser.findElement(By.tagName("h1")).getText());
    assertEquals(
        reportFigure(PlatformStub.PACIFIC_WS, "2026-03"),
        browser.findElement(By.id("availability-value")).getText());
    assertTrue(
        browser
            .findElement(By.id("budget-remaining"))
            .getText()
            .startsWith(Math.max(0, budgetLeft) + " of "));
    assertTrue(browser.findElement(By.tagName("header")).getText().contains("America/Los_Angeles"));
    String february = browser.findElement(By.id("month-2026-02")).getText();
    assertTrue(february.contains("missed"), february);
    assertTrue(february.contains(reportFigure(PlatformStub.PACIFIC_WS, "2026-02") + "%"), february);
    assertEquals(12, browser.findElements(By.cssSelector("#months tbody tr")).size());
    assertEquals("NONE", browser.findElement(By.id("termination-status")).getText());
    String exclusions = browser.findElement(By.id("exclusions")).getText();
    assertTrue(exclusions.contains("INTERNET_PROBLEM"), exclusions);
    // The Pacific day of the outage (10 March 07:00-08:12 PDT).
    WebElement outage = browser.findElement(By.id("day-" + OUTAGE_DAY));
    assertTrue(outage.getAttribute("class").contains("lvl-major"));
    screenshot("status-workspace.png");

    String wrong = "/status/w/" + "A".repeat(43);
    given().get(wrong).then().statusCode(404);
    open(wrong);
    assertEquals("Page not found", browser.findElement(By.tagName("h1")).getText());
    assertTrue(browser.getPageSource().contains("This status link is not valid"));
    assertFalse(browser.getPageSource().contains("Pacific Co"));
    open("/status/w/" + PlatformStub.PACIFIC_WS);
    assertEquals("Page not found", browser.findElement(By.tagName("h1")).getText());
  }
}
