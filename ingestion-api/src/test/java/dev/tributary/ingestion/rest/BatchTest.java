package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.onlyEvent;
import static dev.tributary.ingestion.Accounts.payload;
import static dev.tributary.ingestion.Accounts.tracking;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** /v1/batch: per-item validation, the count limit and top-level defaults. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class BatchTest {

  @Test
  void validItemsAreStoredAndInvalidOnesListedAsRejected() {
    TestSource source = newSource();
    Map<String, Object> noUser = batchItem("identify", "bad-no-user");
    noUser.remove("userId");
    Map<String, Object> noEvent = batchItem("track", "bad-no-event");
    noEvent.remove("event");
    Map<String, Object> badType = batchItem("track", "bad-type");
    badType.put("type", "purchase");
    List<Object> batch =
        List.of(
            batchItem("track", "good-0"),
            noUser,
            batchItem("page", "good-2"),
            noEvent,
            "not an object",
            badType,
            batchItem("group", "good-6"));

    JsonPath answer =
        tracking(source.writeKey())
            .body(Map.of("batch", batch))
            .post("/v1/batch")
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .body("success", is(true))
            .body("rejected.size()", is(4))
            .extract()
            .jsonPath();

    assertEquals(List.of(1, 3, 4, 5), answer.getList("rejected.index"));
    assertEquals(
        List.of("no_user_anon_id", "event_not_defined", "event_not_object", "invalid_type"),
        answer.getList("rejected.reason"));
    assertEquals("bad-no-user", answer.getString("rejected[0].messageId"));
    assertEquals("bad-no-event", answer.getString("rejected[1].messageId"));
    assertNull(answer.get("rejected[2].messageId"));
    assertEquals("bad-type", answer.getString("rejected[3].messageId"));
    assertTrue(
        answer.getList("rejected.message").stream()
            .allMatch(m -> m != null && !m.toString().isEmpty()));

    Set<Object> stored =
        events(source.sourceId()).stream().map(e -> e.get("messageId")).collect(Collectors.toSet());
    assertEquals(Set.of("good-0", "good-2", "good-6"), stored);
  }

  @Test
  void aBatchWithNothingValidIs400NoValidEvents() {
    TestSource source = newSource();
    Map<String, Object> a = batchItem("track", "bad-a");
    a.remove("event");
    Map<String, Object> b = batchItem("alias", "bad-b");
    b.remove("previousId");
    tracking(source.writeKey())
        .body(Map.of("batch", List.of(a, b)))
        .post("/v1/batch")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("code", is("no_valid_events"))
        .body("rejected.size()", is(2))
        .body("rejected[0].reason", is("event_not_defined"))
        .body("rejected[1].reason", is("previous_id_not_defined"))
        .body("rejected[1].index", is(1));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void moreThan2500EventsIsBatchTooLarge() {
    TestSource source = newSource();
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 2501; i++) {
      batch.add(Map.of("type", "track", "userId", "u", "event", "e"));
    }
    tracking(source.writeKey())
        .body(Map.of("batch", batch))
        .post("/v1/batch")
        .then()
        .statusCode(400)
        .body("code", is("batch_too_large"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void exactly2500EventsAreAccepted() {
    TestSource source = newSource();
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      batch.add(Map.of("type", "track", "userId", "u", "event", "e", "messageId", "m-" + i));
    }
    tracking(source.writeKey())
        .body(Map.of("batch", batch))
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("success", is(true))
        .body("rejected", nullValue());
    assertEquals(2500, events(source.sourceId()).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"batch\":{}}", "{\"batch\":\"x\"}", "{\"batch\":null}", "{}"})
  void batchNotAnArrayIs400(String body) {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(body)
        .post("/v1/batch")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("code", is("batch_not_array"));
  }

  @Test
  void anEmptyBatchIs400() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body("{\"batch\":[]}")
        .post("/v1/batch")
        .then()
        .statusCode(400)
        .body("code", is("batch_empty"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void topLevelContextAndIntegrationsMergeIntoEachItemWithTheItemsKeysWinning() {
    TestSource source = newSource();
    Map<String, Object> plain = batchItem("track", "plain");
    Map<String, Object> own = batchItem("identify", "own");
    own.put("context", Map.of("ip", "10.0.0.2", "locale", "fr-FR"));
    own.put("integrations", Map.of("Mixpanel", true));

    Map<String, Object> body = new HashMap<>();
    body.put("batch", List.of(plain, own));
    body.put(
        "context",
        Map.of("ip", "10.0.0.1", "library", Map.of("name", "analytics-test", "version", "1.0")));
    body.put("integrations", Map.of("All", false, "Mixpanel", false));
    tracking(source.writeKey()).body(body).post("/v1/batch").then().statusCode(200);

    Map<Object, Map<String, Object>> byId =
        events(source.sourceId()).stream()
            .collect(Collectors.toMap(e -> e.get("messageId"), e -> payload(e)));

    Map<String, Object> plainContext = (Map<String, Object>) byId.get("plain").get("context");
    assertEquals("10.0.0.1", plainContext.get("ip"));
    assertEquals(Map.of("name", "analytics-test", "version", "1.0"), plainContext.get("library"));
    assertEquals(Map.of("All", false, "Mixpanel", false), byId.get("plain").get("integrations"));

    Map<String, Object> ownContext = (Map<String, Object>) byId.get("own").get("context");
    assertEquals("10.0.0.2", ownContext.get("ip"), "the item's own key wins");
    assertEquals("fr-FR", ownContext.get("locale"));
    assertEquals(Map.of("name", "analytics-test", "version", "1.0"), ownContext.get("library"));
    assertEquals(Map.of("All", false, "Mixpanel", true), byId.get("own").get("integrations"));
  }

  @Test
  void batchItemsWithoutTypeAreInvalidType() {
    TestSource source = newSource();
    Map<String, Object> noType = batchItem("track", "no-type");
    noType.remove("type");
    tracking(source.writeKey())
        .body(Map.of("batch", List.of(noType, batchItem("track", "typed"))))
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("rejected[0].reason", is("invalid_type"))
        .body("rejected[0].index", is(0));
    assertEquals("typed", onlyEvent(source.sourceId()).get("messageId"));
  }
}
