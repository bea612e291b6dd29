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
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The short paths of the browser and mobile libraries ({@code /v1/t}, ..., {@code /v1/b}) answer
 * exactly as the long forms, with and without a trailing slash; {@code /v1/m} takes
 * analytics-next's own metrics and keeps nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingShortPathsTest {

  @ParameterizedTest
  @CsvSource({
    "i, identify", "i/, identify", "t, track", "t/, track", "p, page", "p/, page",
    "s, screen", "s/, screen", "g, group", "g/, group", "a, alias", "a/, alias"
  })
  void eachShortPathStoresItsCallType(String path, String type) {
    TestSource source = newSource();
    String messageId = newMessageId();
    // The URL decides the type, as on the long path: a body saying otherwise does not matter.
    Map<String, Object> event = validEvent(type, messageId);
    event.put("type", type.equals("track") ? "identify" : "track");

    tracking(source.writeKey())
        .body(event)
        .when()
        .post("/v1/" + path)
        .then()
        .statusCode(200)
        .body(is("{\"success\":true}"));

    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertEquals(messageId, stored.get("messageId"));
    assertEquals(type, stored.get("type"));
    assertEquals(type, payload(stored).get("type"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/b", "/v1/b/"})
  void theShortBatchPathStoresEveryItem(String path) {
    TestSource source = newSource();
    List<Map<String, Object>> batch =
        List.of("identify", "track", "page", "screen", "group", "alias").stream()
            .map(type -> batchItem(type, newMessageId()))
            .toList();

    tracking(source.writeKey())
        .body(Map.of("batch", batch))
        .when()
        .post(path)
        .then()
        .statusCode(200)
        .body(is("{\"success\":true}"));

    Map<Object, Object> typeById =
        events(source.sourceId()).stream()
            .collect(Collectors.toMap(e -> e.get("messageId"), e -> e.get("type")));
    assertEquals(6, typeById.size());
    batch.forEach(item -> assertEquals(item.get("type"), typeById.get(item.get("messageId"))));
  }

  @Test
  void shortPathsAnswerErrorsAsTheLongForms() {
    TestSource source = newSource();
    String longAnswer =
        tracking(source.writeKey())
            .body(Map.of("userId", "u"))
            .post("/v1/track")
            .then()
            .statusCode(400)
            .extract()
            .asString();
    String shortAnswer =
        tracking(source.writeKey())
            .body(Map.of("userId", "u"))
            .post("/v1/t")
            .then()
            .statusCode(400)
            .extract()
            .asString();
    assertEquals(longAnswer, shortAnswer);
    tracking("not-a-key")
        .body(validEvent("track", null))
        .post("/v1/t")
        .then()
        .statusCode(401)
        .body("code", is("invalid_write_key"));
    tracking(source.writeKey())
        .body(Map.of("batch", List.of()))
        .post("/v1/b")
        .then()
        .statusCode(400)
        .body("code", is("batch_empty"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/m", "/v1/m/"})
  void libraryMetricsAreAcknowledgedAndDiscarded(String path) {
    TestSource source = newSource();
    String metrics =
        """
        {"series":[{"type":"Counter","metric":"analytics_js.invoke.track","value":1,\
        "tags":{"library":"analytics.js","library_version":"npm:next-1.84.3"}}]}
        """;
    given()
        .contentType("text/plain")
        .body(metrics)
        .when()
        .post(path)
        .then()
        .statusCode(200)
        .body("success", is(true));
    assertTrue(events(source.sourceId()).isEmpty());
  }
}
