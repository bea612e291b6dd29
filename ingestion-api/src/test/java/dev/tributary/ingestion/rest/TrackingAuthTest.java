package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.createSource;
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
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Write keys: HTTP Basic or body, unknown, revoked, another workspace's, never stored or shown
 * again.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingAuthTest {

  @Test
  void basicAuthWithTrailingColonIsAccepted() {
    TestSource source = newSource();
    String messageId = newMessageId();
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", basic(source.writeKey(), true))
        .body(validEvent("track", messageId))
        .post("/v1/track")
        .then()
        .statusCode(200);
    assertEquals(messageId, onlyEvent(source.sourceId()).get("messageId"));
  }

  @Test
  void basicAuthWithoutTrailingColonIsAccepted() {
    TestSource source = newSource();
    String messageId = newMessageId();
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", basic(source.writeKey(), false))
        .body(validEvent("identify", messageId))
        .post("/v1/identify")
        .then()
        .statusCode(200);
    assertEquals(messageId, onlyEvent(source.sourceId()).get("messageId"));
  }

  @Test
  void restAssuredPreemptiveBasicAuthIsAccepted() {
    TestSource source = newSource();
    given()
        .contentType(ContentType.JSON)
        .auth()
        .preemptive()
        .basic(source.writeKey(), "")
        .body(validEvent("page", null))
        .post("/v1/page")
        .then()
        .statusCode(200);
    assertEquals(1, events(source.sourceId()).size());
  }

  @Test
  void writeKeyInTheBodyIsAcceptedAndNeverStored() {
    TestSource source = newSource();
    String messageId = newMessageId();
    Map<String, Object> event = validEvent("track", messageId);
    event.put("writeKey", source.writeKey());
    given()
        .contentType(ContentType.JSON)
        .body(event)
        .post("/v1/track")
        .then()
        .statusCode(200)
        .body(equalTo("{\"success\":true}"));

    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertEquals(messageId, stored.get("messageId"));
    assertFalse(payload(stored).containsKey("writeKey"), "writeKey stored: " + stored);
    String raw = admin().get("/admin/v1/sources/{id}/events", source.sourceId()).asString();
    assertFalse(
        raw.contains(source.writeKey()), "the write key appears in the stored events: " + raw);
  }

  @Test
  void writeKeyInTheBodyOfABatchAndOfItsItemsIsNeverStored() {
    TestSource source = newSource();
    Map<String, Object> item = batchItem("track", newMessageId());
    item.put("writeKey", source.writeKey());
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "writeKey",
                source.writeKey(),
                "batch",
                List.of(item, batchItem("identify", newMessageId()))))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(2, stored.size());
    String raw = admin().get("/admin/v1/sources/{id}/events", source.sourceId()).asString();
    assertFalse(
        raw.contains(source.writeKey()), "the write key appears in the stored events: " + raw);
    String export =
        admin()
            .queryParam("from", "2000-01-01T00:00:00Z")
            .queryParam("to", "2100-01-01T00:00:00Z")
            .get("/admin/v1/sources/{id}/events/export", source.sourceId())
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertFalse(
        export.contains(source.writeKey()), "the write key appears in the export: " + export);
  }

  @Test
  void missingWriteKeyIs401() {
    given()
        .contentType(ContentType.JSON)
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(401)
        .contentType(ContentType.JSON)
        .body("code", is("missing_write_key"))
        .body("message", notNullValue());
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("batch", List.of(batchItem("track", null))))
        .post("/v1/batch")
        .then()
        .statusCode(401)
        .body("code", is("missing_write_key"));
  }

  @Test
  void emptyBasicUsernameOrNonStringBodyKeyIsMissing() {
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", basic("", true))
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(401)
        .body("code", is("missing_write_key"));
    Map<String, Object> event = validEvent("track", null);
    event.put("writeKey", 12345);
    given()
        .contentType(ContentType.JSON)
        .body(event)
        .post("/v1/track")
        .then()
        .statusCode(401)
        .body("code", is("missing_write_key"));
  }

  @Test
  void unknownWriteKeyIs401() {
    tracking("this-key-does-not-exist")
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(401)
        .contentType(ContentType.JSON)
        .body("code", is("invalid_write_key"));
    Map<String, Object> event = validEvent("track", null);
    event.put("writeKey", "unknown-body-key");
    given()
        .contentType(ContentType.JSON)
        .body(event)
        .post("/v1/track")
        .then()
        .statusCode(401)
        .body("code", is("invalid_write_key"));
  }

  @Test
  void revokedWriteKeyIs401AndStoresNothing() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(validEvent("track", "before-revocation"))
        .post("/v1/track")
        .then()
        .statusCode(200);

    admin()
        .delete("/admin/v1/sources/{id}", source.sourceId())
        .then()
        .statusCode(200)
        .body("revokedAt", notNullValue());

    tracking(source.writeKey())
        .body(validEvent("track", "after-revocation"))
        .post("/v1/track")
        .then()
        .statusCode(401)
        .body("code", is("invalid_write_key"));
    Map<String, Object> event = validEvent("track", "after-revocation-body");
    event.put("writeKey", source.writeKey());
    given().contentType(ContentType.JSON).body(event).post("/v1/track").then().statusCode(401);
    tracking(source.writeKey())
        .body(Map.of("batch", List.of(batchItem("track", "after-revocation-batch"))))
        .post("/v1/batch")
        .then()
        .statusCode(401)
        .body("code", is("invalid_write_key"));

    // The events received before the revocation are kept; nothing after it got in.
    assertEquals(
        List.of("before-revocation"),
        events(source.sourceId()).stream().map(e -> e.get("messageId")).toList());
  }

  @Test
  void anotherWorkspacesKeyStoresIntoThatWorkspacesSourceOnly() {
    TestSource mine = newSource();
    TestSource theirs = newSource();
    TestSource mySecondSource = createSource(mine.workspaceId());

    tracking(theirs.writeKey())
        .body(validEvent("track", "theirs-1"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    tracking(mine.writeKey())
        .body(validEvent("track", "mine-1"))
        .post("/v1/track")
        .then()
        .statusCode(200);

    assertEquals(
        List.of("theirs-1"),
        events(theirs.sourceId()).stream().map(e -> e.get("messageId")).toList());
    assertEquals(
        List.of("mine-1"), events(mine.sourceId()).stream().map(e -> e.get("messageId")).toList());
    assertTrue(events(mySecondSource.sourceId()).isEmpty());
  }

  @Test
  void basicHeaderWinsOverTheBodyKey() {
    TestSource header = newSource();
    TestSource body = newSource();
    Map<String, Object> event = validEvent("track", "header-wins");
    event.put("writeKey", body.writeKey());
    tracking(header.writeKey()).body(event).post("/v1/track").then().statusCode(200);
    assertEquals("header-wins", onlyEvent(header.sourceId()).get("messageId"));
    assertTrue(events(body.sourceId()).isEmpty());
  }

  @Test
  void writeKeyIsShownOnceAndListedOnlyAsAHint() {
    String workspaceId = dev.tributary.ingestion.Accounts.createWorkspace();
    TestSource source = createSource(workspaceId);
    assertEquals(32, source.writeKey().length(), "192-bit key, URL-safe base64");

    String listing =
        admin()
            .get("/admin/v1/workspaces/{id}/sources", workspaceId)
            .then()
            .statusCode(200)
            .body("size()", is(1))
            .body("[0].id", is(source.sourceId()))
            .body("[0].writeKeyHint", is(source.writeKey().substring(0, 4) + "…"))
            .body("[0].writeKey", is((Object) null))
            .extract()
            .asString();
    assertFalse(listing.contains(source.writeKey()), listing);
    String single =
        admin()
            .get("/admin/v1/sources/{id}", source.sourceId())
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertFalse(single.contains(source.writeKey()), single);
    assertFalse(single.contains("writeKey\""), single);
  }

  @Test
  void twoSourcesGetDifferentKeys() {
    String workspaceId = dev.tributary.ingestion.Accounts.createWorkspace();
    TestSource a = createSource(workspaceId);
    TestSource b = createSource(workspaceId);
    assertFalse(a.writeKey().equals(b.writeKey()));
    Map<String, Object> body = new HashMap<>(validEvent("track", "to-b"));
    tracking(b.writeKey()).body(body).post("/v1/track").then().statusCode(200);
    assertTrue(events(a.sourceId()).isEmpty());
    assertEquals(1, events(b.sourceId()).size());
  }
}
