package dev.tributary.notice.rest;

import static dev.tributary.notice.IngestionApiStub.ACME;
import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.ADMIN_TOKEN;
import static dev.tributary.notice.Notices.PROBLEM_JSON;
import static dev.tributary.notice.Notices.all;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.createdBefore;
import static dev.tributary.notice.Notices.maintenance;
import static dev.tributary.notice.Notices.notice;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.termsUpdate;
import static dev.tributary.notice.Notices.workspaces;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input, the Idempotency-Key and the token guard of /v1. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class NoticeRequestTest {

  @Inject TestClock clock;

  @BeforeEach
  void monday() {
    clock.set(TestClock.MONDAY);
  }

  @Test
  void anUnknownKindIsRefused() {
    create(notice("NEWSLETTER", all(), "subject", "s", "body", "b"))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("unknown_kind"));
  }

  @Test
  void missingFieldsAreListed() {
    create(notice("TERMS_UPDATE", all(), "document", "Terms of Service"))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"))
        .body(
            "errors",
            hasItems(
                "version: must not be blank",
                "url: must not be blank",
                "summary: must not be blank",
                "effectiveAt: must not be null",
                "material: must not be null",
                "legalChange: must not be null"));
    create(notice("MAINTENANCE", Map.of("type", "WORKSPACES")))
        .statusCode(400)
        .body(
            "errors",
            hasItems(
                "audience.workspaceIds: must list at least one workspace id",
                "windowStart: must not be null",
                "windowEnd: must not be null",
                "description: must not be blank"));
    create(Map.of("audience", all()))
        .statusCode(400)
        .body("code", is("validation_failed"))
        .body("errors", hasItem("kind: must not be blank"));
    create(notice("GENERAL", Map.of("type", "EVERYONE"), "subject", "s", "body", "b"))
        .statusCode(400)
        .body("errors", hasItem("audience.type: must be one of ALL, WORKSPACES, CREATED_BEFORE"));
    create(notice("SLA_MISS", all(), "month", "February"))
        .statusCode(400)
        .body("errors", hasItem("month: must be a month such as 2026-10"));
  }

  @Test
  void anUnreadableBodyIsRefused() {
    service()
        .contentType(ContentType.JSON)
        .body("{\"kind\": ")
        .post("/v1/notices")
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("bad_request"));
  }

  @Test
  void datesInThePastAreRefused() {
    create(termsUpdate(all(), "2026-03-02T17:59:59Z", false, false))
        .statusCode(400)
        .body("code", is("date_in_past"));
    create(maintenance(all(), "2026-03-01T10:00:00Z", "2026-03-06T10:00:00Z"))
        .statusCode(400)
        .body("code", is("date_in_past"));
  }

  @Test
  void aWindowEndingBeforeItStartsIsRefused() {
    create(maintenance(all(), "2026-03-10T10:00:00Z", "2026-03-10T09:00:00Z"))
        .statusCode(400)
        .body("code", is("invalid_window"));
    create(maintenance(all(), "2026-03-10T10:00:00Z", "2026-03-10T10:00:00Z"))
        .statusCode(400)
        .body("code", is("invalid_window"));
  }

  @Test
  void anAudienceMatchingNoWorkspaceIsRefused() {
    create(termsUpdate(createdBefore("2020-01-01T00:00:00Z"), "2026-04-15T00:00:00Z", true, false))
        .statusCode(422)
        .contentType(PROBLEM_JSON)
        .body("code", is("empty_audience"));
  }

  @Test
  void unknownWorkspacesInTheAudienceAreRefused() {
    String unknown = UUID.randomUUID().toString();
    create(termsUpdate(workspaces(ACME, unknown), "2026-04-15T00:00:00Z", true, false))
        .statusCode(422)
        .body("code", is("unknown_workspaces"))
        .body("errors", hasItem(unknown));
  }

  @Test
  void theSameIdempotencyKeyAndBodyAnswerTheSameNotice() {
    String key = "idem-" + UUID.randomUUID();
    Map<String, Object> body = termsUpdate(workspaces(GLOBEX), "2026-04-15T00:00:00Z", true, false);
    String first = create(body, key).statusCode(201).body("deliveries", is(1)).extract().path("id");
    String again =
        create(body, key)
            .statusCode(200)
            .body("recipients", is(1))
            .body("deliveries", is(1))
            .extract()
            .path("id");
    assertEquals(first, again);
    service()
        .get("/v1/notices/{id}/deliveries", first)
        .then()
        .body("size()", is(1)); // no second set of deliveries
  }

  @Test
  void concurrentRequestsWithTheSameIdempotencyKeyCreateOneNotice() throws Exception {
    String key = "idem-" + UUID.randomUUID();
    Map<String, Object> body = termsUpdate(workspaces(GLOBEX), "2026-04-15T00:00:00Z", true, false);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> create(body, key).extract()));
      }
      List<Integer> statuses = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (Future<ExtractableResponse<Response>> answer : answers) {
        ExtractableResponse<Response> response = answer.get();
        statuses.add(response.statusCode());
        ids.add(response.path("id"));
      }
      assertEquals(1, ids.size(), "one notice: " + ids);
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertEquals(3, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSameIdempotencyKeyWithAnotherBodyIsAConflict() {
    String key = "idem-" + UUID.randomUUID();
    create(termsUpdate(workspaces(GLOBEX), "2026-04-15T00:00:00Z", true, false), key)
        .statusCode(201);
    create(termsUpdate(workspaces(GLOBEX), "2026-04-16T00:00:00Z", true, false), key)
        .statusCode(409)
        .contentType(PROBLEM_JSON)
        .body("code", is("idempotency_key_reused"));
  }

  @Test
  void aRequestWithoutATokenIsRefused() {
    given()
        .contentType(ContentType.JSON)
        .body(termsUpdate(all(), "2026-04-15T00:00:00Z", true, false))
        .post("/v1/notices")
        .then()
        .statusCode(401)
        .contentType(PROBLEM_JSON)
        .header("WWW-Authenticate", "Bearer")
        .body("code", is("unauthorized"));
    given().get("/v1/workspaces/{id}/notices", ACME).then().statusCode(401);
  }

  @Test
  void aWrongTokenIsRefusedAndTheAdminTokenAccepted() {
    given()
        .header("Authorization", "Bearer not-a-token")
        .get("/v1/workspaces/{id}/notices", ACME)
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .get("/v1/workspaces/{id}/notices", ACME)
        .then()
        .statusCode(200);
  }
}
