package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.data;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.library;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.payload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.HeadlessChromium;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.TestTools;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The official browser library, {@code @segment/analytics-next} from npm, bundled as a site does,
 * in the machine's headless Chromium. The page comes from another origin than the API ({@code
 * http://127.0.0.1:<port>} against {@code http://localhost:<port>}), so every request goes through
 * CORS, preflights included (the library sends {@code Authorization}). The page sets only {@code
 * cdnURL}; the API host and scheme come from Tributary's settings. Both delivery strategies: one
 * request per event to {@code /v1/t}, ... and batches to {@code /v1/b}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class BrowserLibraryInteropTest {

  static final int PER_TYPE = 10;
  static final List<String> TYPES =
      List.of("identify", "track", "page", "screen", "group", "alias");

  private static Path site;
  private static HttpServer siteServer;
  private static ChromeDriver browser;

  @BeforeAll
  static void startSiteAndBrowser() throws IOException {
    site = TestTools.npmProject("src/test/js/browser");
    siteServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    siteServer.createContext("/shop.html", exchange -> serve(exchange, site.resolve("shop.html")));
    siteServer.createContext(
        "/analytics-next.js", exchange -> serve(exchange, site.resolve("dist/analytics-next.js")));
    siteServer.start();

    browser = HeadlessChromium.start(List.of("--disable-quic"), Map.of());
  }

  @AfterAll
  static void stopSiteAndBrowser() {
    if (browser != null) {
      browser.quit();
    }
    if (siteServer != null) {
      siteServer.stop(0);
    }
  }

  private static void serve(com.sun.net.httpserver.HttpExchange exchange, Path file)
      throws IOException {
    byte[] body = Files.readAllBytes(file);
    String type = file.toString().endsWith(".js") ? "text/javascript" : "text/html";
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"standard", "batching"})
  void everyEventOfThePageIsStoredExactlyOnce(String strategy) {
    TestSource source = newSource();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String page =
        "http://127.0.0.1:"
            + siteServer.getAddress().getPort()
            + "/shop.html?strategy="
            + strategy
            + "&perType="
            + PER_TYPE
            + "&run="
            + run
            + "&writeKey="
            + source.writeKey()
            + "&cdn=http://localhost:"
            + RestAssured.port;
    browser.get(page);

    // The page's calls resolve once the library has handled them (delivered, or given up).
    @SuppressWarnings("unchecked")
    Map<String, Object> result =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    (Map<String, Object>)
                        ((JavascriptExecutor) browser)
                            .executeScript("return window.tributaryResult"),
                r -> r != null);
    assertNull(result.get("error"), "the page's calls failed: " + result);
    assertEquals(List.of(), result.get("failed"), "the library reported failed deliveries");
    @SuppressWarnings("unchecked")
    List<Map<String, String>> sent = (List<Map<String, String>>) result.get("events");
    assertEquals(PER_TYPE * TYPES.size(), sent.size());
    Map<String, String> typeById =
        sent.stream().collect(Collectors.toMap(e -> e.get("messageId"), e -> e.get("type")));
    assertEquals(sent.size(), typeById.size(), "the library gave every event its own messageId");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> events(source.sourceId()).size() >= sent.size());
    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(sent.size(), stored.size(), "each event exactly once");
    Map<Object, Map<String, Object>> storedById =
        stored.stream().collect(Collectors.toMap(e -> e.get("messageId"), Function.identity()));
    assertEquals(typeById.keySet(), storedById.keySet());
    for (Map.Entry<String, String> expected : typeById.entrySet()) {
      Map<String, Object> event = storedById.get(expected.getKey());
      assertEquals(expected.getValue(), event.get("type"), "type of " + expected.getKey());
      Map<String, Object> json = payload(event);
      assertEquals(
          Map.of("name", "analytics.js", "version", "npm:next-1.84.3"), library(json), "library");
      assertTrue(!json.containsKey("writeKey"), "no write key stored");
      if (!expected.getValue().equals("alias")) {
        assertEquals(run, data(expected.getValue(), json).get("run"), "the page's data: " + json);
      }
    }
  }
}
