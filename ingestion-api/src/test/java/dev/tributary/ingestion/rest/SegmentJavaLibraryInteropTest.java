package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.payload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.MessageBuilder;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The official Segment Java library ({@code com.segment.analytics.java:analytics}), unchanged apart
 * from its endpoint, against the running service: every event arrives exactly once.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SegmentJavaLibraryInteropTest {

  static final List<String> TYPES =
      List.of("identify", "track", "page", "screen", "group", "alias");

  @TestHTTPResource("/")
  URL root;

  private static MessageBuilder<?, ?> message(String type, String messageId, int i) {
    String userId = "interop-user-" + (i % 7);
    return switch (type) {
      case "identify" ->
          IdentifyMessage.builder()
              .userId(userId)
              .traits(Map.of("email", "u" + i + "@example.com"))
              .messageId(messageId);
      case "track" ->
          TrackMessage.builder("Item Purchased")
              .userId(userId)
              .properties(Map.of("index", i))
              .messageId(messageId);
      case "page" ->
          PageMessage.builder("Pricing")
              .anonymousId(UUID.randomUUID())
              .properties(Map.of("path", "/pricing"))
              .messageId(messageId);
      case "screen" -> ScreenMessage.builder("Settings").userId(userId).messageId(messageId);
      case "group" ->
          GroupMessage.builder("group-" + i)
              .userId(userId)
              .traits(Map.of("plan", "pro"))
              .messageId(messageId);
      case "alias" -> AliasMessage.builder("anonymous-" + i).userId(userId).messageId(messageId);
      default -> throw new IllegalArgumentException(type);
    };
  }

  @Test
  void fiftyEventsOfAllSixTypesArriveExactlyOnce() {
    TestSource source = newSource();
    String endpoint = "http://localhost:" + root.getPort();
    List<String> failures = new CopyOnWriteArrayList<>();
    Set<String> succeeded = ConcurrentHashMap.newKeySet();

    Analytics analytics =
        Analytics.builder(source.writeKey())
            .endpoint(endpoint)
            .flushQueueSize(20)
            .flushInterval(30, TimeUnit.SECONDS)
            .callback(
                new Callback() {
                  @Override
                  public void success(Message message) {
                    succeeded.add(message.messageId());
                  }

                  @Override
                  public void failure(Message message, Throwable throwable) {
                    failures.add(message.messageId() + ": " + throwable);
                  }
                })
            .build();

    Map<String, String> expectedTypes = new HashMap<>();
    String run = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 50; i++) {
      String type = TYPES.get(i % TYPES.size());
      String messageId = "interop-" + run + "-" + i;
      expectedTypes.put(messageId, type);
      analytics.enqueue(message(type, messageId, i));
    }
    analytics.flush();
    analytics.shutdown();

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> events(source.sourceId()).size() >= 50 || !failures.isEmpty());
    assertTrue(failures.isEmpty(), "the library reported failures: " + failures);

    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(50, stored.size(), "each event exactly once");
    Map<Object, Long> counts =
        stored.stream()
            .collect(Collectors.groupingBy(e -> e.get("messageId"), Collectors.counting()));
    assertEquals(expectedTypes.keySet(), counts.keySet());
    assertTrue(counts.values().stream().allMatch(c -> c == 1), counts.toString());
    for (Map<String, Object> event : stored) {
      String messageId = (String) event.get("messageId");
      assertEquals(expectedTypes.get(messageId), event.get("type"), "type of " + messageId);
      Map<String, Object> json = payload(event);
      assertEquals(expectedTypes.get(messageId), json.get("type"));
      assertTrue(json.containsKey("originalTimestamp"), "the library's timestamp kept: " + json);
      assertTrue(json.containsKey("sentAt"), "the library's sentAt kept: " + json);
      assertFalse(json.containsKey("writeKey"), "no write key stored: " + json);
    }
    // The library acknowledged every message (its callback runs after a 2xx it could parse).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> succeeded.size() == 50 || !failures.isEmpty());
    assertEquals(expectedTypes.keySet(), succeeded);
    assertTrue(failures.isEmpty(), "the library reported failures: " + failures);
  }

  @Test
  void aRevokedKeyMakesTheLibraryReportFailures() {
    TestSource source = newSource();
    dev.tributary.ingestion.Accounts.admin()
        .delete("/admin/v1/sources/{id}", source.sourceId())
        .then()
        .statusCode(200);
    List<String> failures = new CopyOnWriteArrayList<>();
    List<String> successes = new ArrayList<>();
    Analytics analytics =
        Analytics.builder(source.writeKey())
            .endpoint("http://localhost:" + root.getPort())
            .retries(1)
            .callback(
                new Callback() {
                  @Override
                  public void success(Message message) {
                    successes.add(message.messageId());
                  }

                  @Override
                  public void failure(Message message, Throwable throwable) {
                    failures.add(message.messageId());
                  }
                })
            .build();
    analytics.enqueue(TrackMessage.builder("Denied").userId("u").messageId("revoked-1"));
    analytics.flush();
    analytics.shutdown();
    await().atMost(Duration.ofSeconds(60)).until(() -> !failures.isEmpty() || !successes.isEmpty());
    assertEquals(List.of("revoked-1"), failures);
    assertTrue(successes.isEmpty());
    assertTrue(events(source.sourceId()).isEmpty());
  }
}
