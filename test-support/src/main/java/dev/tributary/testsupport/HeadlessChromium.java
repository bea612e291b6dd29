package dev.tributary.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's Chromium, headless, driven through the ChromeDriver of the same build ({@link
 * TestTools#chromium()}, which scripts/test-tools.sh installs): both are given, so Selenium Manager
 * never looks for (or downloads) a browser. Each browser gets its own profile folder.
 */
public final class HeadlessChromium {

  private HeadlessChromium() {}

  /**
   * Starts a browser with the shared headless flags plus {@code arguments}, and the Chrome
   * preferences {@code prefs} (none when empty).
   */
  public static ChromeDriver start(List<String> arguments, Map<String, Object> prefs)
      throws IOException {
    TestTools.Chromium chromium = TestTools.chromium();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.browser().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + Files.createTempDirectory("tributary-chromium"));
    options.addArguments(arguments);
    if (!prefs.isEmpty()) {
      options.setExperimentalOption("prefs", prefs);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromium.driver().toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
