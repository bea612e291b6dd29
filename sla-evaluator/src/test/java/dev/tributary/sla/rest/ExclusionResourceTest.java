package dev.tributary.sla.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.Tables;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Declared exclusions: who declared them, validation, and that they touch only their workspace. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class ExclusionResourceTest {

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
    clock.set(Instant.parse("2025-07-16T00:00:00Z"));
  }

  @Test
  void anExclusionRecordsWhoDeclaredIt() {
    declare(
            "test-service-token",
            """
            {"start": "2025-07-02T00:00:00Z", "end": "2025-07-02T01:00:00Z",
             "category": "FORCE_MAJEURE", "reason": "regional power outage",
             "declaredBy": "Jane Doe (SRE on call)"}
            """)
        .statusCode(201)
        .body("id", notNullValue())
        .body("category", equalTo("FORCE_MAJEURE"))
        .body("workspaceId", nullValue())
        .body("reason", equalTo("regional power outage"))
        .body("declaredBy", equalTo("Jane Doe (SRE on call)"))
        .body("declaredAt", equalTo("2025-07-16T00:00:00Z"));
    declare(
            "test-admin-token",
            """
            {"start": "2025-07-03T00:00:00Z", "end": "2025-07-03T01:00:00Z",
             "category": "THIRD_PARTY_OUTAGE", "reason": "cloud provider DNS"}
            """)
        .statusCode(201)
        .body("declaredBy", equalTo("operator (admin token)"));
    declare(
            "test-service-token",
            """
            {"start": "2025-07-04T00:00:00Z", "end": "2025-07-04T01:00:00Z",
             "category": "INTERNET_PROBLEM", "reason": "transit provider outage"}
            """)
        .statusCode(201)
        .body("declaredBy", equalTo("service (service token)"));
    list("2025-07-01T00:00:00Z", "2025-08-01T00:00:00Z", null)
        .body(
            "declaredBy",
            contains(
                "Jane Doe (SRE on call)", "operator (admin token)", "service (service token)"));
  }

  @Test
  void badExclusionsAreRefusedAndNotStored() {
    declare(
            "test-service-token",
            """
            {"start": "2025-07-02T00:00:00Z", "end": "2025-07-02T01:00:00Z",
             "category": "CUSTOMER_CAUSED", "reason": "customer's proxy misconfigured"}
            """)
        .statusCode(422)
        .body("code", equalTo("workspace_required"));
    declare(
            "test-service-token",
            """
            {"start": "2025-07-02T00:00:00Z", "end": "2025-07-02T01:00:00Z",
             "category": "UNAUTHORIZED_USE", "reason": "leaked write key"}
            """)
        .statusCode(422)
        .body("code", equalTo("workspace_required"));
    declare(
            "test-service-token",
            """
            {"start": "2025-07-02T00:00:00Z", "end": "2025-07-02T01:00:00Z",
             "category": "SOLAR_FLARE", "reason": "space weather"}
            """)
        .statusCode(422)
        .body("code", equalTo("unknown_category"));
    declare(
            "test-service-token",
            """
            {"start": "2025-07-02T01:00:00Z", "end": "2025-07-02T00:00:00Z",
             "category": "FORCE_MAJEURE", "reason": "storm"}
            """)
        .statusCode(422)
        .body("code", equalTo("end_before_start"));
    declare(
            "test-service-token",
            """
            {"start": "2025-07-02T00:00:00Z", "end": "2025-07-02T01:00:00Z",
             "category": "FORCE_MAJEURE"}
            """)
        .statusCode(422)
        .body("code", equalTo("missing_field"));
    list("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", null).body("$", empty());
  }

  @Test
  void aCustomerCausedExclusionTouchesOnlyItsWorkspace() {
    // Every probe of track failed at 08:00, 08:01 and 08:02 on 10 July: unavailable for every
    // workspace. UTC_WS caused it itself: CUSTOMER_CAUSED 08:00-08:03 for UTC_WS only.
    given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(
            """
            [{"at": "2025-07-10T08:00:05Z", "endpoint": "track", "ok": false, "location": "x"},
             {"at": "2025-07-10T08:01:05Z", "endpoint": "track", "ok": false, "location": "x"},
             {"at": "2025-07-10T08:02:05Z", "endpoint": "track", "ok": false, "location": "x"}]
            """)
        .post("/v1/probe-results")
        .then()
        .statusCode(202);
    String id =
        declare(
                "test-admin-token",
                """
                {"start": "2025-07-10T08:00:00Z", "end": "2025-07-10T08:03:00Z",
                 "category": "CUSTOMER_CAUSED", "workspaceId": "%s",
                 "reason": "the customer's own proxy rejected every call"}
                """
                    .formatted(PlatformStub.UTC_WS))
            .statusCode(201)
            .body("workspaceId", equalTo(PlatformStub.UTC_WS))
            .extract()
            .path("id");

    // UTC_WS: 3 minutes excluded, none unavailable; 44,640 - 3 eligible.
    report(PlatformStub.UTC_WS)
        .body("excludedMinutes", is(3))
        .body("excludedByCategory.CUSTOMER_CAUSED", is(3))
        .body("unavailableMinutes", is(0))
        .body("eligibleMinutes", is(44_637))
        .body("exclusions", hasSize(1))
        .body("exclusions[0].id", equalTo(id))
        .body("exclusions[0].excludedMinutes", is(3))
        .body("exclusions[0].declaredBy", equalTo("operator (admin token)"));
    // NEW_WS: the same minutes are ordinary unavailable minutes.
    report(PlatformStub.NEW_WS)
        .body("excludedMinutes", is(0))
        .body("unavailableMinutes", is(3))
        .body("exclusions", empty())
        .body(
            "unavailable.minute",
            contains("2025-07-10T08:00:00Z", "2025-07-10T08:01:00Z", "2025-07-10T08:02:00Z"));
    given()
        .auth()
        .oauth2("test-service-token")
        .queryParam("from", "2025-07-10T08:00:00Z")
        .queryParam("to", "2025-07-10T08:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("[0].verdict", equalTo("EXCLUDED"))
        .body("[0].reason", equalTo("CUSTOMER_CAUSED"));

    list("2025-07-10T00:00:00Z", "2025-07-11T00:00:00Z", PlatformStub.UTC_WS)
        .body("id", contains(id));
    list("2025-07-10T00:00:00Z", "2025-07-11T00:00:00Z", PlatformStub.NEW_WS).body("$", empty());
    list("2025-07-11T00:00:00Z", "2025-07-12T00:00:00Z", PlatformStub.UTC_WS).body("$", empty());
    given()
        .auth()
        .oauth2("test-service-token")
        .get("/v1/exclusions/" + id)
        .then()
        .statusCode(200)
        .body("category", equalTo("CUSTOMER_CAUSED"));
  }

  @Test
  void anExclusionForEveryoneTouchesEveryWorkspace() {
    given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(
            """
            [{"at": "2025-07-10T08:00:05Z", "endpoint": "screen", "ok": false, "location": "x"}]
            """)
        .post("/v1/probe-results")
        .then()
        .statusCode(202);
    declare(
            "test-service-token",
            """
            {"start": "2025-07-10T08:00:00Z", "end": "2025-07-10T09:00:00Z",
             "category": "DENIAL_OF_SERVICE", "reason": "volumetric attack"}
            """)
        .statusCode(201);
    report(PlatformStub.UTC_WS)
        .body("excludedByCategory.DENIAL_OF_SERVICE", is(60))
        .body("unavailableMinutes", is(0));
    report(PlatformStub.NEW_WS)
        .body("excludedByCategory.DENIAL_OF_SERVICE", is(60))
        .body("unavailableMinutes", is(0));
    list("2025-07-10T00:00:00Z", "2025-07-11T00:00:00Z", PlatformStub.NEW_WS).body("$", hasSize(1));
  }

  private static ValidatableResponse declare(String token, String body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/exclusions")
        .then();
  }

  private static ValidatableResponse list(String from, String to, String workspaceId) {
    var request =
        given().auth().oauth2("test-service-token").queryParam("from", from).queryParam("to", to);
    if (workspaceId != null) {
      request = request.queryParam("workspaceId", workspaceId);
    }
    return request.get("/v1/exclusions").then().statusCode(200);
  }

  private static ValidatableResponse report(String workspace) {
    return given()
        .auth()
        .oauth2("test-service-token")
        .get("/v1/workspaces/" + workspace + "/reports/2025-07")
        .then()
        .statusCode(200);
  }
}
