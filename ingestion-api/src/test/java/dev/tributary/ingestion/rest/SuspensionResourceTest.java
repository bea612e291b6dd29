package dev.tributary.ingestion.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.createWorkspace;
import static dev.tributary.ingestion.Accounts.newMessageId;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.ingestion.Accounts;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.NoticeServiceStub;
import dev.tributary.ingestion.NoticeServiceStub.InjectNoticeService;
import dev.tributary.ingestion.service.SuspensionJob;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Suspension after written notice (Terms of Service §2.3) and lifting, with notice-service faked:
 * the keys keep working until the notice is delivered, then get Segment's 403 {@code
 * workspace_suspended}; lifting lets them in at once and is notified.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(NoticeServiceStub.class)
class SuspensionResourceTest {

  static final String PROBLEM_JSON = "application/problem+json";

  @InjectNoticeService WireMockServer noticeService;

  @Inject SuspensionJob job;

  @BeforeEach
  void resetNoticeService() {
    NoticeServiceStub.reset(noticeService);
  }

  private static int send(String writeKey) {
    return tracking(writeKey)
        .body(validEvent("track", newMessageId()))
        .when()
        .post("/v1/track")
        .then()
        .extract()
        .statusCode();
  }

  private static JsonPath suspend(String workspaceId, int status) {
    return admin()
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "payment overdue since 1 March"))
        .when()
        .post("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(status)
        .extract()
        .jsonPath();
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

  /** Runs the job until the suspension is in effect, then answers its notice id. */
  private String deliverAndActivate(String workspaceId, String noticeId) {
    NoticeServiceStub.delivered(noticeService, noticeId);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              job.activatePending().await().atMost(Duration.ofSeconds(10));
              return "SUSPENDED".equals(standing(workspaceId).getString("state"));
            });
    return noticeId;
  }

  @Test
  void theKeysWorkUntilTheNoticeIsDeliveredThenGet403WorkspaceSuspended() {
    String workspaceId = createWorkspace();
    TestSource source = createSource(workspaceId);
    assertEquals(200, send(source.writeKey()));

    JsonPath pending = suspend(workspaceId, 202);
    assertEquals("PENDING_NOTICE", pending.getString("status"));
    assertEquals("payment overdue since 1 March", pending.getString("reason"));
    String noticeId = pending.getString("noticeId");
    assertNotNull(noticeId, "the SUSPENSION notice was created at once");
    noticeService.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v1/notices"))
            .withHeader("Authorization", equalTo("Bearer " + SERVICE_TOKEN))
            .withHeader("Idempotency-Key", equalTo("suspension-" + pending.getString("id")))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SUSPENSION")))
            .withRequestBody(matchingJsonPath("$.audience.type", equalTo("WORKSPACES")))
            .withRequestBody(matchingJsonPath("$.audience.workspaceIds[0]", equalTo(workspaceId)))
            .withRequestBody(
                matchingJsonPath("$.description", equalTo("payment overdue since 1 March"))));

    // The notice is not delivered yet: the job leaves the suspension pending, the keys work.
    assertEquals(0, job.activatePending().await().atMost(Duration.ofSeconds(10)));
    assertEquals("SUSPENSION_PENDING", standing(workspaceId).getString("state"));
    assertEquals(200, send(source.writeKey()));

    deliverAndActivate(workspaceId, noticeId);
    JsonPath state = standing(workspaceId);
    assertEquals("ACTIVE", state.getString("current.status"));
    assertNotNull(state.getString("current.effectiveAt"));

    tracking(source.writeKey())
        .body(validEvent("track", newMessageId()))
        .when()
        .post("/v1/track")
        .then()
        .statusCode(403)
        .contentType(ContentType.JSON)
        .body("code", is("workspace_suspended"))
        .body("message", notNullValue());
    // Every Tracking API endpoint, batch included, refuses the key.
    tracking(source.writeKey())
        .body(Map.of("batch", List.of(Accounts.batchItem("track", newMessageId()))))
        .when()
        .post("/v1/batch")
        .then()
        .statusCode(403)
        .body("code", is("workspace_suspended"));
  }

  @Test
  void liftingLetsTheKeysInAtOnceAndIsNotified() {
    String workspaceId = createWorkspace();
    TestSource source = createSource(workspaceId);
    JsonPath pending = suspend(workspaceId, 202);
    String suspensionId = pending.getString("id");
    deliverAndActivate(workspaceId, pending.getString("noticeId"));
    assertEquals(403, send(source.writeKey()));

    admin()
        .when()
        .delete("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(200)
        .body("id", is(suspensionId))
        .body("status", is("LIFTED"))
        .body("liftedAt", notNullValue())
        .body("liftNoticeId", notNullValue());
    assertEquals(200, send(source.writeKey()));
    noticeService.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v1/notices"))
            .withHeader("Idempotency-Key", equalTo("suspension-lifted-" + suspensionId))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SUSPENSION_LIFTED"))));

    JsonPath state = standing(workspaceId);
    assertEquals("ACTIVE", state.getString("state"));
    assertNull(state.get("current"));
    assertEquals(1, state.getList("history").size());

    // A lifted suspension is not lifted twice.
    admin()
        .when()
        .delete("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(409)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_suspended"));
  }

  @Test
  void askingTwiceAnswersTheOpenSuspensionAndSendsOneNotice() {
    String workspaceId = createWorkspace();
    JsonPath first = suspend(workspaceId, 202);
    JsonPath second = suspend(workspaceId, 200);
    assertEquals(first.getString("id"), second.getString("id"));
    assertEquals(first.getString("noticeId"), second.getString("noticeId"));
    // The job's pass over a pending suspension whose notice exists creates nothing either.
    job.activatePending().await().atMost(Duration.ofSeconds(10));
    noticeService.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.audience.workspaceIds[0]", equalTo(workspaceId))));
  }

  @Test
  void aNoticeServiceOutageLeavesTheSuspensionPendingAndTheJobSendsItLater() {
    noticeService.stubFor(
        post(urlPathEqualTo("/v1/notices")).atPriority(1).willReturn(aResponse().withStatus(503)));
    String workspaceId = createWorkspace();
    TestSource source = createSource(workspaceId);
    JsonPath pending = suspend(workspaceId, 202);
    assertNull(pending.get("noticeId"));
    assertEquals(200, send(source.writeKey()));

    NoticeServiceStub.reset(noticeService);
    job.activatePending().await().atMost(Duration.ofSeconds(10));
    String noticeId = standing(workspaceId).getString("current.noticeId");
    assertNotNull(noticeId, "the job created the notice");
    // The scheduled run may have retried at the same time as this one (as two replicas would):
    // every creation carries the suspension's Idempotency-Key, so notice-service makes one notice.
    var creations =
        noticeService.findAll(
            postRequestedFor(urlPathEqualTo("/v1/notices"))
                .withRequestBody(
                    matchingJsonPath("$.audience.workspaceIds[0]", equalTo(workspaceId))));
    assertFalse(creations.isEmpty());
    creations.forEach(
        request ->
            assertEquals(
                "suspension-" + pending.getString("id"), request.getHeader("Idempotency-Key")));
    deliverAndActivate(workspaceId, noticeId);
    assertEquals(403, send(source.writeKey()));
  }

  @Test
  void theDirectoryListsTheSuspendedPeriodsForTheSla() {
    String workspaceId = createWorkspace();
    JsonPath pending = suspend(workspaceId, 202);
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .when()
        .get("/internal/v1/workspaces/{id}", workspaceId)
        .then()
        .statusCode(200)
        .body("suspensions.size()", is(0));
    deliverAndActivate(workspaceId, pending.getString("noticeId"));
    admin()
        .when()
        .delete("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(200);
    JsonPath state = standing(workspaceId);

    JsonPath directory =
        given()
            .header("Authorization", "Bearer " + SERVICE_TOKEN)
            .when()
            .get("/internal/v1/workspaces/{id}", workspaceId)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(pending.getString("id"), directory.getString("suspensions[0].suspensionId"));
    assertEquals(
        state.getString("history[0].effectiveAt"), directory.getString("suspensions[0].start"));
    assertEquals(state.getString("history[0].liftedAt"), directory.getString("suspensions[0].end"));
    // The admin API's view does not carry them.
    admin()
        .when()
        .get("/admin/v1/workspaces/{id}", workspaceId)
        .then()
        .statusCode(200)
        .body("suspensions", nullValue());
  }

  @Test
  void errorsHaveStableCodes() {
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "x"))
        .when()
        .post("/admin/v1/workspaces/{id}/suspension", "00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
    String workspaceId = createWorkspace();
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("reason", " "))
        .when()
        .post("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON);
    admin()
        .when()
        .delete("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(409)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_suspended"));
    String noEmail =
        admin()
            .contentType(ContentType.JSON)
            .body(Map.of("name", "sms only", "contacts", List.of(Map.of("phone", "+14155550100"))))
            .when()
            .post("/admin/v1/workspaces")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "abuse"))
        .when()
        .post("/admin/v1/workspaces/{id}/suspension", noEmail)
        .then()
        .statusCode(422)
        .contentType(PROBLEM_JSON)
        .body("code", is("no_email_contact"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("reason", "abuse"))
        .when()
        .post("/admin/v1/workspaces/{id}/suspension", workspaceId)
        .then()
        .statusCode(401);
    assertEquals("ACTIVE", standing(workspaceId).getString("state"));
  }
}
