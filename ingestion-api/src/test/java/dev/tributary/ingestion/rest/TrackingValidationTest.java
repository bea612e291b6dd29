package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segment's rules on single-event calls: 400 with {"code","message"} using Segment's discard
 * reasons.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingValidationTest {

  private TestSource source;

  @BeforeEach
  void newSourcePerTest() {
    source = newSource();
  }

  /**
   * Posts {@code type}'s valid event changed by {@code change}; expects 400 {@code code}, nothing
   * stored.
   */
  private void rejected(String type, Consumer<Map<String, Object>> change, String code) {
    Map<String, Object> event = validEvent(type, null);
    change.accept(event);
    String body =
        tracking(source.writeKey())
            .body(event)
            .when()
            .post("/v1/" + type)
            .then()
            .statusCode(400)
            .contentType(ContentType.JSON)
            .body("code", is(code))
            .body("message", not(emptyOrNullString()))
            .extract()
            .asString();
    // Segment's shape: exactly code and message.
    assertTrue(body.startsWith("{") && !body.contains("\"success\""), body);
    assertTrue(events(source.sourceId()).isEmpty(), "a rejected event was stored");
  }

  @ParameterizedTest
  @ValueSource(strings = {"identify", "track", "page", "screen", "group", "alias"})
  void missingUserIdAndAnonymousIdIsNoUserAnonId(String type) {
    rejected(type, e -> e.remove("userId"), "no_user_anon_id");
  }

  @Test
  void nonStringUserIdIsNoUserAnonId() {
    rejected("track", e -> e.put("userId", 42), "no_user_anon_id");
    rejected("identify", e -> e.put("userId", Map.of("id", "x")), "no_user_anon_id");
    rejected("page", e -> e.put("userId", ""), "no_user_anon_id");
    rejected(
        "screen",
        e -> {
          e.remove("userId");
          e.put("anonymousId", 7);
        },
        "no_user_anon_id");
  }

  @Test
  void anonymousIdAloneIsEnough() {
    Map<String, Object> event = validEvent("track", "anon-only");
    event.remove("userId");
    event.put("anonymousId", "anon-1");
    tracking(source.writeKey()).body(event).post("/v1/track").then().statusCode(200);
    assertEquals(1, events(source.sourceId()).size());
  }

  @Test
  void trackWithoutEventIsEventNotDefined() {
    rejected("track", e -> e.remove("event"), "event_not_defined");
    rejected("track", e -> e.put("event", ""), "event_not_defined");
    rejected("track", e -> e.put("event", 3), "event_not_defined");
  }

  @Test
  void groupWithoutGroupIdIsGroupIdNotDefined() {
    rejected("group", e -> e.remove("groupId"), "group_id_not_defined");
    rejected("group", e -> e.put("groupId", 12), "group_id_not_defined");
  }

  @Test
  void aliasWithoutPreviousIdIsPreviousIdNotDefined() {
    rejected("alias", e -> e.remove("previousId"), "previous_id_not_defined");
  }

  @Test
  void aliasWithAnonymousIdButNoUserIdIsUserIdNotDefined() {
    rejected(
        "alias",
        e -> {
          e.remove("userId");
          e.put("anonymousId", "anon-1");
        },
        "user_id_not_defined");
  }

  @Test
  void nonObjectPropertiesIsPropertiesNotObject() {
    rejected("track", e -> e.put("properties", "revenue=12"), "properties_not_object");
    rejected("page", e -> e.put("properties", List.of(1, 2)), "properties_not_object");
  }

  @Test
  void nonObjectTraitsIsTraitsNotObject() {
    rejected("identify", e -> e.put("traits", List.of("a")), "traits_not_object");
    rejected("group", e -> e.put("traits", 5), "traits_not_object");
  }

  @Test
  void nonObjectContextIsContextNotObject() {
    rejected("track", e -> e.put("context", "ios"), "context_not_object");
  }

  @Test
  void nonObjectIntegrationsIsIntegrationsNotObject() {
    rejected("track", e -> e.put("integrations", true), "integrations_not_object");
  }

  @Test
  void messageIdOver100CharactersIsMessageIdTooLong() {
    rejected("track", e -> e.put("messageId", "m".repeat(101)), "message_id_too_long");
  }

  @Test
  void messageIdOfExactly100CharactersIsAccepted() {
    String messageId = "m".repeat(100);
    tracking(source.writeKey())
        .body(validEvent("track", messageId))
        .post("/v1/track")
        .then()
        .statusCode(200);
    assertEquals(messageId, events(source.sourceId()).get(0).get("messageId"));
  }

  @Test
  void nonStringMessageIdIsRejected() {
    rejected("track", e -> e.put("messageId", 123), "message_id_not_string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00", "1700000000"})
  void unparseableTimestampIsInvalidTimestamp(String timestamp) {
    rejected("track", e -> e.put("timestamp", timestamp), "invalid_timestamp");
  }

  @Test
  void numericTimestampOrBadSentAtIsInvalidTimestamp() {
    rejected("track", e -> e.put("timestamp", 1700000000000L), "invalid_timestamp");
    rejected("identify", e -> e.put("sentAt", "not a date"), "invalid_timestamp");
  }

  @Test
  void nullOptionalFieldsAreAccepted() {
    Map<String, Object> event = new java.util.HashMap<>(validEvent("track", "nulls"));
    event.put("properties", null);
    event.put("context", null);
    event.put("timestamp", null);
    tracking(source.writeKey()).body(event).post("/v1/track").then().statusCode(200);
    assertEquals(1, events(source.sourceId()).size());
  }
}
