package dev.tributary.ingestion.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.createWorkspace;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newMessageId;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.NoticeServiceStub;
import dev.tributary.ingestion.NoticeServiceStub.InjectNoticeService;
import dev.tributary.ingestion.service.ClosureJob;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a workspace: the keys are revoked at once, the CLOSURE notice is sent, and the erasure
 * deletes the events in batches and the contacts only once the notice has gone out, keeping the
 * SLA's evidence.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(NoticeServiceStub.class)
class ClosureResourceTest {

  @InjectNoticeService WireMockServer noticeService;

  @Inject ClosureJob job;
  @Inject Pool pool;

  @BeforeEach
  void resetNoticeService() {
    NoticeServiceStub.reset(noticeService);
  }

  private static JsonPath standing(String workspaceId) {
    return admin()
        .when()
        .get("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static List<Map<String, Object>> stats(String workspaceId) {
    Instant now = Instant.now();
    return given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParam("from", now.minus(Duration.ofHours(1)).toString())
        .queryParam("to", now.plus(Duration.ofHours(1)).toString())
        .queryParam("workspaceId", workspaceId)
        .when()
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  @Test
  void closureRevokesTheKeysAtOnceAndTheErasureDeletesTheDataInBatchesAfterTheNotice() {
    String workspaceId = createWorkspace();
    TestSource source = createSource(workspaceId);
    TestSource other = createSource(createWorkspace());
    for (int i = 0; i < 7; i++) {
      tracking(source.writeKey())
          .body(validEvent("track", newMessageId()))
          .post("/v1/track")
          .then()
          .statusCode(200);
    }
    // Two more in tomorrow's partition: the erasure goes through every partition.
    pool.preparedQuery(
            """
            insert into ingestion.events (source_id, message_id, workspace_id, type, received_at,
                "timestamp", payload)
            select $1, 'tomorrow-' || g, $2, 'track', $3, $3, '{"type": "track"}'
            from generate_series(1, 2) g
            """)
        .execute(
            Tuple.of(
                UUID.fromString(source.sourceId()),
                UUID.fromString(workspaceId),
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(12, 0).atOffset(ZoneOffset.UTC)))
        .await()
        .atMost(Duration.ofSeconds(10));
    tracking(other.writeKey())
        .body(validEvent("track", newMessageId()))
        .post("/v1/track")
        .then()
        .statusCode(200);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !stats(workspaceId).isEmpty());

    JsonPath closed =
        admin()
            .when()
            .post("/admin/v1/workspaces/{id}/closure", workspaceId)
            .then()
            .statusCode(202)
            .body("state", is("CLOSED"))
            .body("closedAt", notNullValue())
            .extract()
            .jsonPath();
    tracking(source.writeKey())
        .body(validEvent("track", newMessageId()))
        .post("/v1/track")
        .then()
        .statusCode(401)
        .body("code", is("invalid_write_key"));
    noticeService.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v1/notices"))
            .withHeader("Idempotency-Key", equalTo("closure-" + workspaceId))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("CLOSURE")))
            .withRequestBody(matchingJsonPath("$.audience.workspaceIds[0]", equalTo(workspaceId))));
    // Closing again answers the first closure and sends nothing more.
    admin()
        .when()
        .post("/admin/v1/workspaces/{id}/closure", workspaceId)
        .then()
        .statusCode(200)
        .body("closedAt", is(closed.getString("closedAt")));
    noticeService.verify(1, postRequestedFor(urlPathEqualTo("/v1/notices")));
    // A closed workspace cannot be suspended.
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "too late"))
        .post("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", is("workspace_closed"));

    // The CLOSURE notice is still being delivered: the contacts and events stay for now.
    assertEquals(0, job.runOnce(3, 100).await().atMost(Duration.ofSeconds(10)));
    assertEquals(9, events(source.sourceId()).size());

    // Delivered: the erasure deletes today's 7 events 3 at a time (3 + 3 + 1), tomorrow's 2, then
    // the contacts.
    String noticeId = standing(workspaceId).getString("closureNoticeId");
    assertNotNull(noticeId);
    NoticeServiceStub.delivered(noticeService, noticeId);
    int batches = job.runOnce(3, 100).await().atMost(Duration.ofSeconds(30));
    assertTrue(batches >= 4, "deleted in batches of 3, partition by partition: " + batches);
    assertEquals(0, events(source.sourceId()).size());
    assertEquals(1, events(other.sourceId()).size(), "another workspace's events stay");
    JsonPath after = standing(workspaceId);
    assertNotNull(after.getString("dataErasedAt"));
    admin()
        .when()
        .get("/admin/v1/workspaces/{id}", workspaceId)
        .then()
        .statusCode(200)
        .body("contacts.size()", is(0));
    // The SLA's evidence of the workspace's traffic is kept.
    assertFalse(stats(workspaceId).isEmpty());
    // Nothing more to do for it.
    assertEquals(0, job.runOnce(3, 100).await().atMost(Duration.ofSeconds(10)));
  }

  @Test
  void anUnknownWorkspaceCannotBeClosed() {
    admin()
        .when()
        .post("/admin/v1/workspaces/{id}/closure", "00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", is("not_found"));
  }
}
