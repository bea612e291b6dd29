package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.createWorkspace;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The admin API's sources: create, list, revoke, recent events and the NDJSON export. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SourceResourceTest {

  static final String PROBLEM_JSON = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void createAnswersTheSourceWithItsWriteKeyOnce() {
    String workspaceId = createWorkspace();
    var created =
        admin()
            .contentType(ContentType.JSON)
            .body(Map.of("name", "  iOS app  "))
            .post("/admin/v1/workspaces/{id}/sources", workspaceId)
            .then()
            .statusCode(201)
            .contentType(ContentType.JSON)
            .body("id", notNullValue())
            .body("workspaceId", is(workspaceId))
            .body("name", is("iOS app"))
            .body("writeKey", notNullValue())
            .body("createdAt", notNullValue())
            .extract();
    String id = created.path("id");
    String writeKey = created.path("writeKey");
    assertTrue(
        created.header("Location").endsWith("/admin/v1/sources/" + id), created.header("Location"));
    assertEquals(writeKey.substring(0, 4) + "…", created.path("writeKeyHint"));

    admin()
        .get("/admin/v1/sources/{id}", id)
        .then()
        .statusCode(200)
        .body("id", is(id))
        .body("workspaceId", is(workspaceId))
        .body("name", is("iOS app"))
        .body("writeKey", nullValue())
        .body("revokedAt", nullValue());
  }

  @Test
  void allowedOriginsAreSetAtCreationNormalisedAndReplaced() {
    String workspaceId = createWorkspace();
    String id =
        admin()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "name",
                    "website",
                    "allowedOrigins",
                    List.of(
                        "HTTPS://WWW.Example.com:443/",
                        "https://*.example.org",
                        "http://localhost:3000")))
            .post("/admin/v1/workspaces/{id}/sources", workspaceId)
            .then()
            .statusCode(201)
            .body(
                "allowedOrigins",
                is(
                    List.of(
                        "https://www.example.com",
                        "https://*.example.org",
                        "http://localhost:3000")))
            .extract()
            .path("id");

    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("allowedOrigins", List.of()))
        .put("/admin/v1/sources/{id}/allowed-origins", id)
        .then()
        .statusCode(200)
        .body("allowedOrigins", is(List.of()));
    admin().get("/admin/v1/sources/{id}", id).then().body("allowedOrigins", is(List.of()));
  }

  @Test
  void anInvalidOriginIsRefusedWithItsReason() {
    TestSource source = newSource();
    for (String invalid :
        List.of("example.com", "ftp://example.com", "https://example.com/path", "https://*", "")) {
      admin()
          .contentType(ContentType.JSON)
          .body(Map.of("allowedOrigins", List.of(invalid)))
          .put("/admin/v1/sources/{id}/allowed-origins", source.sourceId())
          .then()
          .statusCode(400)
          .contentType(PROBLEM_JSON)
          .body("code", is("invalid_origin"));
    }
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "allowedOrigins", List.of("https://a.example/p")))
        .post("/admin/v1/workspaces/{id}/sources", source.workspaceId())
        .then()
        .statusCode(400)
        .body("code", is("invalid_origin"));
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of())
        .put("/admin/v1/sources/{id}/allowed-origins", source.sourceId())
        .then()
        .statusCode(400)
        .body("code", is("validation_failed"));
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("allowedOrigins", List.of("https://www.example.com")))
        .put("/admin/v1/sources/{id}/allowed-origins", UUID.randomUUID())
        .then()
        .statusCode(404);
  }

  @Test
  void listShowsTheWorkspacesSourcesOldestFirstWithoutKeys() {
    String workspaceId = createWorkspace();
    TestSource first = createSource(workspaceId);
    TestSource second = createSource(workspaceId);
    newSource(); // another workspace's source is not listed

    String listing =
        admin()
            .get("/admin/v1/workspaces/{id}/sources", workspaceId)
            .then()
            .statusCode(200)
            .body("size()", is(2))
            .body("[0].id", is(first.sourceId()))
            .body("[1].id", is(second.sourceId()))
            .body("[0].workspaceId", is(workspaceId))
            .extract()
            .asString();
    assertFalse(listing.contains(first.writeKey()) || listing.contains(second.writeKey()), listing);
  }

  @Test
  void aBlankSourceNameIsValidationFailed() {
    String workspaceId = createWorkspace();
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("name", " "))
        .post("/admin/v1/workspaces/{id}/sources", workspaceId)
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"));
  }

  @Test
  void revokeIsIdempotentAndKeepsTheFirstRevocationTime() {
    TestSource source = newSource();
    String revokedAt =
        admin()
            .delete("/admin/v1/sources/{id}", source.sourceId())
            .then()
            .statusCode(200)
            .body("id", is(source.sourceId()))
            .body("revokedAt", notNullValue())
            .extract()
            .path("revokedAt");
    admin()
        .delete("/admin/v1/sources/{id}", source.sourceId())
        .then()
        .statusCode(200)
        .body("revokedAt", is(revokedAt));
    admin()
        .get("/admin/v1/sources/{id}", source.sourceId())
        .then()
        .statusCode(200)
        .body("revokedAt", is(revokedAt));
    admin()
        .get("/admin/v1/workspaces/{id}/sources", source.workspaceId())
        .then()
        .statusCode(200)
        .body("[0].revokedAt", is(revokedAt));
    tracking(source.writeKey())
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(401);
  }

  @Test
  void revokingOneSourceLeavesTheOthersWorking() {
    String workspaceId = createWorkspace();
    TestSource revoked = createSource(workspaceId);
    TestSource kept = createSource(workspaceId);
    tracking(revoked.writeKey())
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(200);
    admin().delete("/admin/v1/sources/{id}", revoked.sourceId()).then().statusCode(200);
    tracking(revoked.writeKey())
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(401);
    tracking(kept.writeKey())
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(200);
  }

  @Test
  void unknownSourcesAre404ProblemJson() {
    UUID unknown = UUID.randomUUID();
    admin()
        .get("/admin/v1/sources/{id}", unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
    admin()
        .delete("/admin/v1/sources/{id}", unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
    admin()
        .get("/admin/v1/sources/{id}/events", unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
    admin()
        .queryParam("from", "2024-01-01T00:00:00Z")
        .queryParam("to", "2024-01-02T00:00:00Z")
        .get("/admin/v1/sources/{id}/events/export", unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
  }

  @Test
  void eventsLimitMustBeBetween1And5000() {
    TestSource source = newSource();
    for (int limit : new int[] {0, -1, 5001}) {
      admin()
          .queryParam("limit", limit)
          .get("/admin/v1/sources/{id}/events", source.sourceId())
          .then()
          .statusCode(400)
          .contentType(PROBLEM_JSON)
          .body("code", is("invalid_limit"));
    }
    admin()
        .queryParam("limit", 1)
        .get("/admin/v1/sources/{id}/events", source.sourceId())
        .then()
        .statusCode(200);
    admin()
        .queryParam("limit", 5000)
        .get("/admin/v1/sources/{id}/events", source.sourceId())
        .then()
        .statusCode(200);
  }

  @Test
  void eventsDefaultToTheLatest100() {
    TestSource source = newSource();
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      batch.add(batchItem("track", "d-" + i));
    }
    tracking(source.writeKey())
        .body(Map.of("batch", batch))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    admin()
        .get("/admin/v1/sources/{id}/events", source.sourceId())
        .then()
        .statusCode(200)
        .body("size()", is(100));
    assertEquals(120, events(source.sourceId()).size());
  }

  @Test
  void eventsShowMessageIdTypeTimesAndTheStoredJson() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(validEvent("group", "view-1"))
        .post("/v1/group")
        .then()
        .statusCode(200);
    admin()
        .get("/admin/v1/sources/{id}/events", source.sourceId())
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("[0].messageId", is("view-1"))
        .body("[0].type", is("group"))
        .body("[0].receivedAt", notNullValue())
        .body("[0].timestamp", notNullValue())
        .body("[0].event.groupId", is("group-1"))
        .body("[0].event.traits.plan", is("enterprise"));
  }

  static List<JsonNode> export(String sourceId, String from, String to) {
    String body =
        admin()
            .queryParam("from", from)
            .queryParam("to", to)
            .get("/admin/v1/sources/{id}/events/export", sourceId)
            .then()
            .statusCode(200)
            .contentType(startsWith("application/x-ndjson"))
            .extract()
            .asString();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        assertTrue(node.isObject(), "one JSON object per line: " + line);
        lines.add(node);
      } catch (Exception e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return lines;
  }

  @Test
  void exportIsNdjsonOldestFirstAndOnlyTheRange() {
    TestSource source = newSource();
    List<Instant> receivedAt = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tracking(source.writeKey())
          .body(validEvent("track", "x-" + i))
          .post("/v1/track")
          .then()
          .statusCode(200);
      List<Map<String, Object>> all = events(source.sourceId());
      receivedAt.add(Instant.parse((String) all.get(0).get("receivedAt")));
    }
    // Every event in a wide range, oldest first, one stored JSON object per line.
    List<JsonNode> everything =
        export(source.sourceId(), "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    assertEquals(
        List.of("x-0", "x-1", "x-2", "x-3"),
        everything.stream().map(n -> n.get("messageId").asText()).toList());
    for (JsonNode node : everything) {
      assertEquals("track", node.get("type").asText());
      assertEquals("user-1", node.get("userId").asText());
      assertTrue(node.hasNonNull("receivedAt") && node.hasNonNull("timestamp"), node.toString());
    }

    // [from, to): from is inclusive, to exclusive.
    Instant first = receivedAt.get(0);
    Instant last = receivedAt.get(3);
    List<String> ids =
        export(source.sourceId(), first.plusMillis(1).toString(), last.toString()).stream()
            .map(n -> n.get("messageId").asText())
            .toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      if (!receivedAt.get(i).isBefore(first.plusMillis(1)) && receivedAt.get(i).isBefore(last)) {
        expected.add("x-" + i);
      }
    }
    assertEquals(expected, ids);
    assertEquals(
        List.of("x-0"),
        export(source.sourceId(), first.toString(), first.plusMillis(1).toString()).stream()
            .map(n -> n.get("messageId").asText())
            .filter(id -> id.equals("x-0"))
            .toList());
    assertTrue(export(source.sourceId(), "2000-01-01T00:00:00Z", "2000-01-02T00:00:00Z").isEmpty());
  }

  @Test
  void exportPagesThroughMoreThanOnePage() {
    TestSource source = newSource();
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      batch.add(
          Map.of(
              "type",
              "track",
              "userId",
              "u",
              "event",
              "e",
              "messageId",
              String.format("p-%05d", i)));
    }
    tracking(source.writeKey())
        .body(Map.of("batch", batch))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    List<String> ids =
        export(source.sourceId(), "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z").stream()
            .map(n -> n.get("messageId").asText())
            .toList();
    assertEquals(2500, ids.size());
    assertEquals(2500, ids.stream().distinct().count(), "no event twice across pages");
    String[] sorted = ids.toArray(String[]::new);
    Arrays.sort(sorted);
    assertEquals(Arrays.asList(sorted), ids, "one receivedAt: ordered by messageId");
  }

  @Test
  void exportNeedsAValidRange() {
    TestSource source = newSource();
    admin()
        .queryParam("from", "2024-01-02T00:00:00Z")
        .queryParam("to", "2024-01-01T00:00:00Z")
        .get("/admin/v1/sources/{id}/events/export", source.sourceId())
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("invalid_range"));
    admin()
        .queryParam("to", "2024-01-01T00:00:00Z")
        .get("/admin/v1/sources/{id}/events/export", source.sourceId())
        .then()
        .statusCode(400)
        .body("code", is("missing_parameter"));
    admin()
        .queryParam("from", "last week")
        .queryParam("to", "2024-01-01T00:00:00Z")
        .get("/admin/v1/sources/{id}/events/export", source.sourceId())
        .then()
        .statusCode(400)
        .body("code", is("invalid_parameter"));
  }

  @Test
  void sourceEndpointsNeedTheAdminToken() {
    TestSource source = newSource();
    given()
        .get("/admin/v1/sources/{id}/events", source.sourceId())
        .then()
        .statusCode(401)
        .contentType(PROBLEM_JSON);
    given().delete("/admin/v1/sources/{id}", source.sourceId()).then().statusCode(401);
    given()
        .header("Authorization", "Bearer test-service-token")
        .get("/admin/v1/sources/{id}/events", source.sourceId())
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer test-service-token")
        .queryParam("from", "2000-01-01T00:00:00Z")
        .queryParam("to", "2100-01-01T00:00:00Z")
        .get("/admin/v1/sources/{id}/events/export", source.sourceId())
        .then()
        .statusCode(401);
    // Not revoked by the unauthorised DELETE.
    admin()
        .get("/admin/v1/sources/{id}", source.sourceId())
        .then()
        .statusCode(200)
        .body("revokedAt", nullValue());
  }
}
