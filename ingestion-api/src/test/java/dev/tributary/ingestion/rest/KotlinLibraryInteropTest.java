package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.data;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.library;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.payload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.segment.analytics.kotlin.core.RequestFactory;
import com.segment.analytics.kotlin.core.compat.ConfigurationBuilder;
import com.segment.analytics.kotlin.core.compat.JavaAnalytics;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The official Kotlin library ({@code com.segment.analytics.kotlin:core}, the core of the Android
 * SDK) on the JVM, configured as an app would be but for its settings host: it fetches its settings
 * from Tributary, takes the API host from them, and posts gzipped {@code text/plain} batches to
 * {@code /v1/b} with the write key in the body. Its documented {@code requestFactory} switches it
 * to plain http for the test (the library only speaks https).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class KotlinLibraryInteropTest {

  static final int PER_TYPE = 4;
  static final List<String> TYPES = List.of("identify", "track", "screen", "group", "alias");

  /** The library's documented hook for proxies and tests: here, http instead of https. */
  static final class PlainHttp extends RequestFactory {
    @Override
    public HttpURLConnection openConnection(String url) {
      return super.openConnection(url.replaceFirst("^https://", "http://"));
    }
  }

  @Test
  void twentyEventsOfEveryTypeArriveExactlyOnce() {
    TestSource source = newSource();
    JavaAnalytics analytics =
        new JavaAnalytics(
            new ConfigurationBuilder(source.writeKey())
                .setApplication(new Object())
                // Only the settings host: the API host comes from Tributary's settings.
                .setCdnHost("localhost:" + RestAssured.port + "/v1")
                .setRequestFactory(new PlainHttp())
                .setFlushAt(20)
                .build());
    try {
      // The library queues nothing until it has its settings (on the JVM it drops events tracked
      // before it has started).
      await().atMost(Duration.ofSeconds(30)).until(() -> analytics.settings() != null);
      String run = UUID.randomUUID().toString().substring(0, 8);
      for (int i = 0; i < PER_TYPE; i++) {
        Map<String, Object> properties = Map.of("run", run, "seq", i);
        analytics.identify("kotlin-user-" + i, properties);
        analytics.track("Kotlin Checked", properties);
        analytics.screen("Basket", properties, "Shop");
        analytics.group("group-" + i, properties);
        analytics.alias("kotlin-user-" + i);
      }
      int expected = PER_TYPE * TYPES.size();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                analytics.flush();
                return events(source.sourceId()).size() >= expected;
              });

      List<Map<String, Object>> stored = events(source.sourceId());
      assertEquals(expected, stored.size(), "each event exactly once");
      assertEquals(
          expected,
          stored.stream().map(e -> e.get("messageId")).collect(Collectors.toSet()).size());
      Map<Object, Long> perType =
          stored.stream().collect(Collectors.groupingBy(e -> e.get("type"), Collectors.counting()));
      Map<Object, Long> expectedPerType = new HashMap<>();
      TYPES.forEach(type -> expectedPerType.put(type, (long) PER_TYPE));
      assertEquals(expectedPerType, perType);
      Set<String> seen = new HashSet<>();
      for (Map<String, Object> event : stored) {
        Map<String, Object> json = payload(event);
        assertEquals(Map.of("name", "analytics-kotlin", "version", "1.24.1"), library(json));
        assertFalse(json.containsKey("writeKey"), "no write key stored");
        String type = (String) event.get("type");
        if (!type.equals("alias")) {
          assertEquals(run, data(type, json).get("run"), json.toString());
          seen.add(type + " " + data(type, json).get("seq"));
        }
      }
      assertEquals((TYPES.size() - 1) * PER_TYPE, seen.size(), "every (type, seq) once: " + seen);
    } finally {
      analytics.getAnalytics().shutdown(true);
    }
  }
}
