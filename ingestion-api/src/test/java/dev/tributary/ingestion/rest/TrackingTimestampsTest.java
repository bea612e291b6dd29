package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.onlyEvent;
import static dev.tributary.ingestion.Accounts.payload;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** receivedAt from the server clock, originalTimestamp, and Segment's clock-skew correction. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingTimestampsTest {

  private static Instant instant(Object value) {
    return Instant.parse((String) value);
  }

  @Test
  void receivedAtComesFromTheServerClockNotTheClient() {
    TestSource source = newSource();
    Map<String, Object> event = validEvent("track", "client-received-at");
    event.put("receivedAt", "2001-01-01T00:00:00Z");
    Instant before = Instant.now();
    tracking(source.writeKey()).body(event).post("/v1/track").then().statusCode(200);
    Instant after = Instant.now();

    Map<String, Object> stored = onlyEvent(source.sourceId());
    Instant receivedAt = instant(stored.get("receivedAt"));
    // Truncated to milliseconds by the server; the test and the server share the machine's clock.
    assertFalse(receivedAt.isBefore(before.minusMillis(1)), receivedAt + " < " + before);
    assertFalse(receivedAt.isAfter(after), receivedAt + " > " + after);
    assertEquals(receivedAt, instant(payload(stored).get("receivedAt")));
  }

  @Test
  void withoutTimestampTheTimestampIsReceivedAt() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(validEvent("identify", "no-timestamp"))
        .post("/v1/identify")
        .then()
        .statusCode(200);
    Map<String, Object> stored = onlyEvent(source.sourceId());
    Map<String, Object> event = payload(stored);
    assertEquals(instant(stored.get("receivedAt")), instant(stored.get("timestamp")));
    assertEquals(instant(stored.get("receivedAt")), instant(event.get("timestamp")));
    assertFalse(
        event.containsKey("originalTimestamp"),
        "no client timestamp, no originalTimestamp: " + event);
  }

  @Test
  void aClientTimestampWithoutSentAtIsKeptAsTimestampAndOriginalTimestamp() {
    TestSource source = newSource();
    Map<String, Object> event = validEvent("track", "timestamp-only");
    event.put("timestamp", "2024-03-01T10:00:00.123Z");
    tracking(source.writeKey()).body(event).post("/v1/track").then().statusCode(200);

    Map<String, Object> stored = onlyEvent(source.sourceId());
    Instant original = Instant.parse("2024-03-01T10:00:00.123Z");
    assertEquals(original, instant(stored.get("timestamp")));
    assertEquals(original, instant(payload(stored).get("originalTimestamp")));
    assertEquals(original, instant(payload(stored).get("timestamp")));
  }

  @Test
  void sentAtOnASingleEventCorrectsClockSkewExactly() {
    TestSource source = newSource();
    Map<String, Object> event = validEvent("track", "skewed");
    event.put("timestamp", "2024-03-01T10:00:00.000Z");
    event.put("sentAt", "2024-03-01T10:00:07.250Z");
    tracking(source.writeKey()).body(event).post("/v1/track").then().statusCode(200);

    Map<String, Object> stored = onlyEvent(source.sourceId());
    Instant receivedAt = instant(stored.get("receivedAt"));
    Instant expected = receivedAt.minus(Duration.ofMillis(7250));
    assertEquals(expected, instant(stored.get("timestamp")));
    Map<String, Object> json = payload(stored);
    assertEquals(expected, instant(json.get("timestamp")));
    assertEquals(Instant.parse("2024-03-01T10:00:00Z"), instant(json.get("originalTimestamp")));
    assertEquals(Instant.parse("2024-03-01T10:00:07.250Z"), instant(json.get("sentAt")));
    assertEquals(receivedAt, instant(json.get("receivedAt")));
  }

  @Test
  void topLevelSentAtOfABatchAppliesToEachItemAndAnItemsOwnSentAtWins() {
    TestSource source = newSource();
    Map<String, Object> a = batchItem("track", "a");
    a.put("timestamp", "2024-03-01T10:00:00.000Z"); // 30 s before the batch's sentAt
    Map<String, Object> b = batchItem("page", "b");
    b.put("timestamp", "2024-03-01T10:00:29.500Z"); // 0.5 s before it
    Map<String, Object> c = batchItem("identify", "c");
    c.put("timestamp", "2024-03-01T09:00:00.000Z");
    c.put("sentAt", "2024-03-01T09:00:02.000Z"); // its own sentAt: 2 s
    Map<String, Object> d = batchItem("screen", "d"); // no timestamp at all

    Map<String, Object> body = new HashMap<>();
    body.put("batch", List.of(a, b, c, d));
    body.put("sentAt", "2024-03-01T10:00:30.000Z");
    tracking(source.writeKey()).body(body).post("/v1/batch").then().statusCode(200);

    Map<Object, Map<String, Object>> byId =
        events(source.sourceId()).stream()
            .collect(Collectors.toMap(e -> e.get("messageId"), e -> e));
    assertEquals(4, byId.size());
    Instant receivedAt = instant(byId.get("a").get("receivedAt"));
    for (Map<String, Object> e : byId.values()) {
      assertEquals(receivedAt, instant(e.get("receivedAt")), "one receivedAt per request");
    }
    assertEquals(receivedAt.minusMillis(30_000), instant(byId.get("a").get("timestamp")));
    assertEquals(receivedAt.minusMillis(500), instant(byId.get("b").get("timestamp")));
    assertEquals(receivedAt.minusMillis(2_000), instant(byId.get("c").get("timestamp")));
    assertEquals(receivedAt, instant(byId.get("d").get("timestamp")));
    assertEquals(
        Instant.parse("2024-03-01T09:00:02Z"), instant(payload(byId.get("c")).get("sentAt")));
    assertEquals(
        Instant.parse("2024-03-01T10:00:30Z"), instant(payload(byId.get("a")).get("sentAt")));
    assertEquals(
        Instant.parse("2024-03-01T10:00:00Z"),
        instant(payload(byId.get("a")).get("originalTimestamp")));
  }

  @Test
  void aClientClockAheadOfTheServerIsCorrectedToo() {
    TestSource source = newSource();
    Map<String, Object> event = validEvent("screen", "ahead");
    // A device whose clock is years ahead: only the 1.5 s between event and send matter.
    event.put("timestamp", "2099-12-31T23:59:58.500Z");
    event.put("sentAt", "2100-01-01T00:00:00.000Z");
    tracking(source.writeKey()).body(event).post("/v1/screen").then().statusCode(200);
    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertEquals(
        instant(stored.get("receivedAt")).minusMillis(1500), instant(stored.get("timestamp")));
  }

  @Test
  void offsetsWithAndWithoutColonAreAccepted() {
    TestSource source = newSource();
    Map<String, Object> colon = validEvent("track", "colon");
    colon.put("timestamp", "2024-03-01T11:00:00.000+01:00");
    Map<String, Object> noColon = validEvent("track", "no-colon");
    noColon.put("timestamp", "2024-03-01T05:30:00-0430");
    tracking(source.writeKey()).body(colon).post("/v1/track").then().statusCode(200);
    tracking(source.writeKey()).body(noColon).post("/v1/track").then().statusCode(200);

    Map<Object, Map<String, Object>> byId =
        events(source.sourceId()).stream()
            .collect(Collectors.toMap(e -> e.get("messageId"), e -> e));
    assertEquals(
        Instant.parse("2024-03-01T10:00:00Z"), instant(byId.get("colon").get("timestamp")));
    assertEquals(
        Instant.parse("2024-03-01T10:00:00Z"), instant(byId.get("no-colon").get("timestamp")));
    assertEquals(
        Instant.parse("2024-03-01T10:00:00Z"),
        instant(payload(byId.get("no-colon")).get("originalTimestamp")));
  }

  @Test
  void sentAtWithoutTimestampLeavesTimestampAtReceivedAt() {
    TestSource source = newSource();
    Map<String, Object> event = validEvent("group", "sent-only");
    event.put("sentAt", "2024-03-01T10:00:00Z");
    tracking(source.writeKey()).body(event).post("/v1/group").then().statusCode(200);
    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertEquals(instant(stored.get("receivedAt")), instant(stored.get("timestamp")));
    assertNotEquals(Instant.parse("2024-03-01T10:00:00Z"), instant(stored.get("timestamp")));
    assertTrue(payload(stored).containsKey("sentAt"));
  }
}
