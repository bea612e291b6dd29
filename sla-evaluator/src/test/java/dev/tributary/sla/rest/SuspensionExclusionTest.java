package dev.tributary.sla.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
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

/**
 * The minutes a workspace was suspended (ingestion-api's directory lists them) are excluded from
 * its SLA as SLA §2(a) unauthorized use, and listed in its report; other workspaces are untouched.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class SuspensionExclusionTest {

  static final String SUSPENSION_ID = "dddddddd-0000-0000-0000-000000000001";
  static final String ONGOING_ID = "dddddddd-0000-0000-0000-000000000002";

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    // UTC_WS was suspended 10 July 08:00-08:03; PACIFIC_WS since 31 July 23:55 UTC (still is).
    platform.stubFor(
        get(urlPathEqualTo("/internal/v1/workspaces"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        [
                          {"id": "%s", "name": "Utc Co", "timeZone": "UTC",
                           "createdAt": "2024-01-10T00:00:00Z", "contacts": [],
                           "suspensions": [{"suspensionId": "%s",
                             "start": "2025-07-10T08:00:00Z", "end": "2025-07-10T08:03:00Z",
                             "reason": "payment overdue"}]},
                          {"id": "%s", "name": "Pacific Co", "timeZone": "UTC",
                           "createdAt": "2024-03-01T00:00:00Z", "contacts": [],
                           "suspensions": [{"suspensionId": "%s",
                             "start": "2025-07-31T23:55:00Z", "reason": "abuse"}]},
                          {"id": "%s", "name": "New Co", "timeZone": "UTC",
                           "createdAt": "2025-06-15T00:00:00Z", "contacts": []}
                        ]
                        """
                            .formatted(
                                PlatformStub.UTC_WS,
                                SUSPENSION_ID,
                                PlatformStub.PACIFIC_WS,
                                ONGOING_ID,
                                PlatformStub.NEW_WS))));
    directory.invalidate();
    tables.truncateAll();
    clock.set(Instant.parse("2025-08-02T00:00:00Z"));
  }

  @Test
  void theSuspendedMinutesAreExcludedAsUnauthorizedUseAndListed() {
    // Every probe of track failed at 08:00, 08:01 and 08:02 on 10 July.
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

    report(PlatformStub.UTC_WS)
        .body("excludedMinutes", is(3))
        .body("excludedByCategory.UNAUTHORIZED_USE", is(3))
        .body("unavailableMinutes", is(0))
        .body("eligibleMinutes", is(44_637))
        .body("exclusions", hasSize(1))
        .body("exclusions[0].id", equalTo("suspension-" + SUSPENSION_ID))
        .body("exclusions[0].category", equalTo("UNAUTHORIZED_USE"))
        .body("exclusions[0].excludedMinutes", is(3))
        .body("exclusions[0].declaredBy", equalTo("ingestion-api (suspension)"));
    // A suspension still in effect is excluded to the end of the month: 5 minutes of July.
    report(PlatformStub.PACIFIC_WS)
        .body("excludedByCategory.UNAUTHORIZED_USE", is(5))
        .body("unavailableMinutes", is(3));
    // A workspace that was never suspended: the failed minutes count against the service.
    report(PlatformStub.NEW_WS)
        .body("excludedMinutes", is(0))
        .body("excludedByCategory.UNAUTHORIZED_USE", nullValue())
        .body("unavailableMinutes", is(3));
    given()
        .auth()
        .oauth2("test-service-token")
        .queryParam("from", "2025-07-10T08:00:00Z")
        .queryParam("to", "2025-07-10T08:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("[0].verdict", equalTo("EXCLUDED"))
        .body("[0].reason", equalTo("UNAUTHORIZED_USE"));
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
