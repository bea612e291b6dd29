package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.ADMIN_TOKEN;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation: a write key of workspace A writes to A's source only, whatever the body claims;
 * it opens nothing of B (nor of A) beyond the Tracking API; and the answers to an unknown key, a
 * revoked key and a key used where it does not belong are the same, so that they do not tell
 * whether B or its sources exist. Request statistics and the internal APIs keep A and B apart. Each
 * claim is checked in the database, not only through the API.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TenantIsolationTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  @Inject Pool pool;

  TestSource a;
  TestSource aSecond;
  TestSource b;

  @BeforeEach
  void twoWorkspaces() {
    a = createSource(workspace("a-legal@a.example"));
    aSecond = createSource(a.workspaceId());
    b = createSource(workspace("b-legal@b.example"));
  }

  static String workspace(String contactEmail) {
    return admin()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "name",
                "tenant " + UUID.randomUUID(),
                "contacts",
                List.of(Map.of("name", "Legal", "email", contactEmail))))
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** (workspace_id, source_id) of every stored event with this message id, from the table. */
  List<String> storedOwners(String messageId) {
    List<String> owners = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "select workspace_id, source_id from ingestion.events where message_id = $1")
            .execute(Tuple.of(messageId))
            .await()
            .atMost(WAIT)) {
      owners.add(row.getUUID("workspace_id") + "/" + row.getUUID("source_id"));
    }
    return owners;
  }

  long count(String sql, String workspaceId) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(UUID.fromString(workspaceId)))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  long storedEvents(String workspaceId) {
    return count("select count(*) from ingestion.events where workspace_id = $1", workspaceId);
  }

  long countedRequests(String workspaceId) {
    return count(
        "select coalesce(sum(requests), 0) from ingestion.request_stats where workspace_id = $1",
        workspaceId);
  }

  static String owner(TestSource source) {
    return source.workspaceId() + "/" + source.sourceId();
  }

  @Test
  void aKeyWritesOnlyToItsOwnSourceWhateverTheBodyClaims() {
    String bFirst = "b-own-" + UUID.randomUUID();
    tracking(b.writeKey())
        .body(validEvent("track", bFirst))
        .post("/v1/track")
        .then()
        .statusCode(200);
    await().atMost(WAIT).until(() -> countedRequests(b.workspaceId()) == 1);

    // A's key with bodies that name B in every place a body can: B's write key at the top and in
    // each batch item, B's ids in the context and as top-level fields.
    String spoofed = "a-spoofed-" + UUID.randomUUID();
    Map<String, Object> event = validEvent("track", spoofed);
    event.put("writeKey", b.writeKey());
    event.put("workspaceId", b.workspaceId());
    event.put("sourceId", b.sourceId());
    event.put("projectId", b.sourceId());
    event.put("context", Map.of("workspaceId", b.workspaceId(), "sourceId", b.sourceId()));
    tracking(a.writeKey()).body(event).post("/v1/track").then().statusCode(200);

    List<Map<String, Object>> batch = new ArrayList<>();
    List<String> batchIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "a-batch-" + i + "-" + UUID.randomUUID();
      batchIds.add(id);
      Map<String, Object> item = batchItem("track", id);
      item.put("writeKey", b.writeKey());
      batch.add(item);
    }
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("writeKey", a.writeKey(), "batch", batch))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    // A's short path too (analytics.js), with B's key only inside the body's items.
    String shortPath = "a-short-" + UUID.randomUUID();
    Map<String, Object> shortEvent = validEvent("track", shortPath);
    shortEvent.put("writeKey", a.writeKey());
    shortEvent.put("integrations", Map.of("Segment.io", Map.of("apiKey", b.writeKey())));
    given().contentType(ContentType.JSON).body(shortEvent).post("/v1/t").then().statusCode(200);

    assertEquals(List.of(owner(a)), storedOwners(spoofed));
    for (String id : batchIds) {
      assertEquals(List.of(owner(a)), storedOwners(id), id);
    }
    assertEquals(List.of(owner(a)), storedOwners(shortPath));
    assertEquals(List.of(owner(b)), storedOwners(bFirst));

    // A's requests are counted for A (3 calls); B still has its one event and its one request.
    await().atMost(WAIT).until(() -> countedRequests(a.workspaceId()) == 3);
    assertEquals(1, storedEvents(b.workspaceId()));
    assertEquals(1, countedRequests(b.workspaceId()));
    assertEquals(5, storedEvents(a.workspaceId()));
    assertEquals(
        0,
        count(
            "select count(*) from ingestion.events e join ingestion.sources s on s.id = e.source_id"
                + " where s.workspace_id <> e.workspace_id and e.workspace_id = $1",
            a.workspaceId()),
        "every event of A is stored under a source of A");
  }

  @Test
  void answersToUnknownRevokedAndMisplacedKeysAreTheSame() {
    TestSource revoked = createSource(b.workspaceId());
    admin().delete("/admin/v1/sources/{id}", revoked.sourceId()).then().statusCode(200);
    String unknown = "unknown-" + UUID.randomUUID().toString().substring(0, 24);

    // The Tracking API: one answer for both (Basic and body key, single and batch calls).
    for (String path : List.of("/v1/track", "/v1/t")) {
      Response toUnknown =
          tracking(unknown).body(validEvent("track", "x")).post(path).then().extract().response();
      Response toRevoked =
          tracking(revoked.writeKey())
              .body(validEvent("track", "x"))
              .post(path)
              .then()
              .extract()
              .response();
      assertSameAnswer(path, toUnknown, toRevoked);
      assertEquals(401, toUnknown.statusCode());
    }
    Response batchUnknown =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("writeKey", unknown, "batch", List.of(batchItem("track", "y"))))
            .post("/v1/batch");
    Response batchRevoked =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("writeKey", revoked.writeKey(), "batch", List.of(batchItem("track", "y"))))
            .post("/v1/batch");
    assertSameAnswer("/v1/batch", batchUnknown, batchRevoked);

    // The settings: unknown and revoked keys alike; a key's settings never show another source.
    Response settingsUnknown = given().get("/v1/projects/{key}/settings", unknown);
    Response settingsRevoked = given().get("/v1/projects/{key}/settings", revoked.writeKey());
    assertSameAnswer("settings", settingsUnknown, settingsRevoked);
    assertEquals(404, settingsUnknown.statusCode());
    String aSettings =
        given()
            .header("Authorization", basic(b.writeKey(), true))
            .get("/v1/projects/{key}/settings", a.writeKey())
            .then()
            .statusCode(200)
            .extract()
            .asString();
    for (String ofB : List.of(b.writeKey(), b.workspaceId(), b.sourceId())) {
      assertFalse(aSettings.contains(ofB), "A's settings show B: " + aSettings);
    }
    assertEquals(0, storedEvents(b.workspaceId()), "nothing reached B");
  }

  @Test
  void aWriteKeyOpensNoAccountOrInternalApiAndTheRefusalDoesNotTellWhatExists() {
    String nowhere = UUID.randomUUID().toString();
    String[] templates = {
      "/admin/v1/workspaces/%s",
      "/admin/v1/workspaces/%s/sources",
      "/admin/v1/sources/%s/events",
      "/internal/v1/workspaces/%s"
    };
    for (String template : templates) {
      boolean sources = template.contains("sources/");
      String ofA = template.formatted(sources ? a.sourceId() : a.workspaceId());
      String ofB = template.formatted(sources ? b.sourceId() : b.workspaceId());
      String missing = template.formatted(nowhere);
      for (String authorization :
          List.of(basic(a.writeKey(), true), "Bearer " + a.writeKey(), "Bearer " + b.writeKey())) {
        Response own = given().header("Authorization", authorization).get(ofA);
        Response theirs = given().header("Authorization", authorization).get(ofB);
        Response none = given().header("Authorization", authorization).get(missing);
        assertEquals(401, own.statusCode(), ofA + " " + own.asString());
        assertSameAnswer(ofB + " vs " + missing, theirs, none);
        assertSameAnswer(ofA + " vs " + missing, own, none);
      }
    }
  }

  @Test
  void theInternalApisKeepTheWorkspacesApart() {
    tracking(a.writeKey())
        .body(validEvent("track", "stats-a-1"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    tracking(a.writeKey())
        .body(validEvent("track", "stats-a-2"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    tracking(b.writeKey())
        .body(validEvent("track", "stats-b-1"))
        .post("/v1/track")
        .then()
        .statusCode(200);

    Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
    Instant to = from.plus(Duration.ofMinutes(4));
    await().atMost(WAIT).until(() -> requests(from, to, a.workspaceId()) == 2);
    await().atMost(WAIT).until(() -> requests(from, to, b.workspaceId()) == 1);
    for (Map<String, Object> row : statsRows(from, to, a.workspaceId())) {
      assertEquals(a.workspaceId(), row.get("workspaceId"), "a row of another workspace: " + row);
    }
    // Without a workspace filter each row is one workspace's and A's rows add up to A's traffic.
    long aTotal = 0;
    for (Map<String, Object> row : statsRows(from, to, null)) {
      if (a.workspaceId().equals(row.get("workspaceId"))) {
        aTotal += ((Number) row.get("requests")).longValue();
      }
    }
    assertEquals(2, aTotal);

    Map<String, Object> aView =
        given()
            .header("Authorization", "Bearer " + SERVICE_TOKEN)
            .get("/internal/v1/workspaces/{id}", a.workspaceId())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("$");
    assertEquals(a.workspaceId(), aView.get("id"));
    assertEquals(
        List.of(Map.of("name", "Legal", "email", "a-legal@a.example")), aView.get("contacts"));
    String raw = aView.toString();
    assertFalse(raw.contains("b.example") || raw.contains(b.workspaceId()), raw);

    // The admin API's source list of A holds A's sources only.
    List<String> aSources =
        given()
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .get("/admin/v1/workspaces/{id}/sources", a.workspaceId())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("id");
    assertEquals(
        List.of(a.sourceId(), aSecond.sourceId()).stream().sorted().toList(),
        aSources.stream().sorted().toList());
    assertTrue(
        given()
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .queryParam("limit", 5000)
            .get("/admin/v1/sources/{id}/events", a.sourceId())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("messageId")
            .stream()
            .noneMatch("stats-b-1"::equals));
  }

  static List<Map<String, Object>> statsRows(Instant from, Instant to, String workspaceId) {
    Map<String, Object> query = new HashMap<>();
    query.put("from", from.toString());
    query.put("to", to.toString());
    if (workspaceId != null) {
      query.put("workspaceId", workspaceId);
    }
    return given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParams(query)
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  static long requests(Instant from, Instant to, String workspaceId) {
    return statsRows(from, to, workspaceId).stream()
        .mapToLong(row -> ((Number) row.get("requests")).longValue())
        .sum();
  }

  /** Same status, same content type, byte-identical body. */
  static void assertSameAnswer(String what, Response one, Response other) {
    assertEquals(one.statusCode(), other.statusCode(), what + ": status");
    assertEquals(one.contentType(), other.contentType(), what + ": content type");
    assertEquals(one.asString(), other.asString(), what + ": body");
  }
}
