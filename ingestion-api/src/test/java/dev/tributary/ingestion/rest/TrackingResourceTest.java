package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newMessageId;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.onlyEvent;
import static dev.tributary.ingestion.Accounts.payload;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Tracking API endpoints: each call type is accepted, answered like Segment and stored. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingResourceTest {

  @ParameterizedTest
  @ValueSource(strings = {"identify", "track", "page", "screen", "group", "alias"})
  void eachCallTypeIsAcceptedAndStored(String type) {
    TestSource source = newSource();
    String messageId = newMessageId();
    Instant before = Instant.now();

    String body =
        tracking(source.writeKey())
            .body(validEvent(type, messageId))
            .when()
            .post("/v1/" + type)
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .extract()
            .asString();
    assertEquals("{\"success\":true}", body);

    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertEquals(messageId, stored.get("messageId"));
    assertEquals(type, stored.get("type"));
    Instant receivedAt = Instant.parse((String) stored.get("receivedAt"));
    // The server's clock, not the client's: between just before the call and now (1 s slack for ms
    // truncation).
    assertFalse(
        receivedAt.isBefore(before.minusSeconds(1)),
        "receivedAt " + receivedAt + " before " + before);
    assertFalse(
        receivedAt.isAfter(Instant.now().plusSeconds(1)),
        "receivedAt in the future: " + receivedAt);
    assertEquals(
        receivedAt,
        Instant.parse((String) stored.get("timestamp")),
        "no client timestamp: timestamp = receivedAt");

    Map<String, Object> event = payload(stored);
    assertEquals(type, event.get("type"));
    assertEquals(messageId, event.get("messageId"));
    assertEquals("user-1", event.get("userId"));
    assertEquals(receivedAt, Instant.parse((String) event.get("receivedAt")));
    assertEquals(receivedAt, Instant.parse((String) event.get("timestamp")));
    switch (type) {
      case "track" -> {
        assertEquals("Order Completed", event.get("event"));
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) event.get("properties");
        assertEquals(12.5, ((Number) properties.get("revenue")).doubleValue());
        assertEquals("EUR", properties.get("currency"));
      }
      case "group" -> assertEquals("group-1", event.get("groupId"));
      case "alias" -> assertEquals("anonymous-1", event.get("previousId"));
      case "identify" -> assertEquals(Map.of("email", "ada@example.com"), event.get("traits"));
      default -> assertEquals("Home", event.get("name"));
    }
  }

  @Test
  void theUrlTypeWinsOverATypeInTheBody() {
    TestSource source = newSource();
    Map<String, Object> event = validEvent("track", newMessageId());
    event.put("type", "identify");
    tracking(source.writeKey()).body(event).when().post("/v1/track").then().statusCode(200);
    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertEquals("track", stored.get("type"));
    assertEquals("track", payload(stored).get("type"));
  }

  @Test
  void trackWithTrailingSlashIsAccepted() {
    TestSource source = newSource();
    String messageId = newMessageId();
    tracking(source.writeKey())
        .body(validEvent("track", messageId))
        .when()
        .post("/v1/track/")
        .then()
        .statusCode(200)
        .body(equalTo("{\"success\":true}"));
    assertEquals(messageId, onlyEvent(source.sourceId()).get("messageId"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/batch", "/v1/batch/", "/v1/import", "/v1/import/"})
  void batchAndImportStoreEveryItem(String path) {
    TestSource source = newSource();
    List<String> types = List.of("identify", "track", "page", "screen", "group", "alias");
    List<Map<String, Object>> batch =
        types.stream().map(t -> batchItem(t, newMessageId())).toList();

    String body =
        tracking(source.writeKey())
            .body(Map.of("batch", batch))
            .when()
            .post(path)
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .extract()
            .asString();
    assertEquals("{\"success\":true}", body);

    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(6, stored.size());
    Map<Object, Object> typeById =
        stored.stream().collect(Collectors.toMap(e -> e.get("messageId"), e -> e.get("type")));
    for (Map<String, Object> item : batch) {
      assertEquals(
          item.get("type"),
          typeById.get(item.get("messageId")),
          "type of " + item.get("messageId"));
    }
  }

  @Test
  void importAnswersExactlyAsBatch() {
    TestSource viaBatch = newSource();
    TestSource viaImport = newSource();
    Map<String, Object> body =
        Map.of(
            "batch",
            List.of(batchItem("track", "same-id"), Map.of("type", "track", "userId", "u")));

    String batchAnswer =
        tracking(viaBatch.writeKey())
            .body(body)
            .post("/v1/batch")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    String importAnswer =
        tracking(viaImport.writeKey())
            .body(body)
            .post("/v1/import")
            .then()
            .statusCode(200)
            .extract()
            .asString();

    assertEquals(batchAnswer, importAnswer);
    assertTrue(batchAnswer.contains("event_not_defined"), batchAnswer);
    List<Map<String, Object>> a = events(viaBatch.sourceId());
    List<Map<String, Object>> b = events(viaImport.sourceId());
    assertEquals(1, a.size());
    assertEquals(1, b.size());
    assertEquals(a.get(0).get("messageId"), b.get(0).get("messageId"));
    assertEquals(a.get(0).get("type"), b.get(0).get("type"));
  }

  @Test
  void storedEventsAreListedNewestFirstAndLimited() {
    TestSource source = newSource();
    for (int i = 0; i < 3; i++) {
      tracking(source.writeKey())
          .body(validEvent("track", "order-" + i))
          .post("/v1/track")
          .then()
          .statusCode(200);
    }
    List<Map<String, Object>> limited =
        Accounts.admin()
            .queryParam("limit", 2)
            .get("/admin/v1/sources/{id}/events", source.sourceId())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    assertEquals(2, limited.size());
    List<Map<String, Object>> all = events(source.sourceId());
    assertEquals(3, all.size());
    for (int i = 1; i < all.size(); i++) {
      Instant newer = Instant.parse((String) all.get(i - 1).get("receivedAt"));
      Instant older = Instant.parse((String) all.get(i).get("receivedAt"));
      assertFalse(newer.isBefore(older), "newest first: " + all);
    }
    // The two most recent are the ones the limit returned.
    assertEquals(
        all.subList(0, 2).stream().map(e -> e.get("messageId")).toList(),
        limited.stream().map(e -> e.get("messageId")).toList());
    assertEquals(
        Set.of("order-0", "order-1", "order-2"),
        all.stream().map(e -> e.get("messageId")).collect(Collectors.toSet()));
  }

  @Test
  void htmlIsUnsupportedMediaType() {
    TestSource source = newSource();
    given()
        .header("Authorization", Accounts.basic(source.writeKey(), true))
        .contentType("text/html")
        .body("{\"userId\":\"u\",\"event\":\"e\"}")
        .when()
        .post("/v1/track")
        .then()
        .statusCode(415)
        .contentType(ContentType.JSON)
        .body("code", is("unsupported_media_type"))
        .body("message", startsWith("send a JSON body"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void formEncodedBatchIsUnsupportedMediaType() {
    TestSource source = newSource();
    given()
        .header("Authorization", Accounts.basic(source.writeKey(), true))
        .contentType("application/x-www-form-urlencoded")
        .body("batch=1")
        .when()
        .post("/v1/batch")
        .then()
        .statusCode(415)
        .body("code", is("unsupported_media_type"));
  }

  @Test
  void jsonWithCharsetAndVendorJsonAreAccepted() {
    TestSource source = newSource();
    given()
        .header("Authorization", Accounts.basic(source.writeKey(), true))
        .contentType("application/json; charset=utf-8")
        .body("{\"userId\":\"u\",\"event\":\"a\"}")
        .post("/v1/track")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", Accounts.basic(source.writeKey(), true))
        .contentType("application/vnd.segment+json")
        .body("{\"userId\":\"u\",\"event\":\"b\"}")
        .post("/v1/track")
        .then()
        .statusCode(200);
    assertEquals(2, events(source.sourceId()).size());
  }

  @Test
  void malformedJsonIsInvalidJson() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body("{\"userId\": \"u\", \"event\": ")
        .when()
        .post("/v1/track")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("code", is("invalid_json"))
        .body("message", org.hamcrest.Matchers.notNullValue());
    tracking(source.writeKey())
        .body("not json at all")
        .post("/v1/batch")
        .then()
        .statusCode(400)
        .body("code", is("invalid_json"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"userId\":\"u\",\"event\":\"e\"}]", "\"text\"", "42", "null"})
  void aBodyThatIsNotAnObjectIsRejected(String body) {
    TestSource source = newSource();
    String answer =
        tracking(source.writeKey())
            .body(body)
            .when()
            .post("/v1/track")
            .then()
            .statusCode(400)
            .contentType(ContentType.JSON)
            .extract()
            .asString();
    assertTrue(answer.contains("\"code\""), answer);
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void anEmptyBodyIsABadRequest() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body("")
        .post("/v1/track")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON);
  }

  @Test
  void unknownTrackingPathIsNotFoundWithSegmentShape() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(validEvent("track", null))
        .post("/v1/unknown")
        .then()
        .statusCode(404)
        .body("code", is("not_found"));
  }

  @Test
  void messageIdIsReturnedInTheStoredJsonEvenWhenGenerated() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(validEvent("page", null))
        .post("/v1/page")
        .then()
        .statusCode(200);
    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertNotNull(stored.get("messageId"));
    assertEquals(stored.get("messageId"), payload(stored).get("messageId"));
  }
}
