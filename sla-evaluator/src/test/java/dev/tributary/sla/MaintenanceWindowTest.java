package dev.tributary.sla;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.sla.service.NoticeSync;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled maintenance (SLA §3) through the API: notices through notice-service, overlap and bad
 * input, cancel and reschedule, and how windows count in each workspace's report (notice per
 * workspace, the 300-minute cap, a window across a month boundary).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class MaintenanceWindowTest {

  static final String OTHER_NOTICE = "bbbbbbbb-0000-0000-0000-000000000002";

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject NoticeSync noticeSync;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
  }

  static RequestSpecification api() {
    return given().auth().oauth2("test-service-token").contentType(ContentType.JSON);
  }

  static String window(String start, String end, String noticeSentAt) {
    return """
        {"start": "%s", "end": "%s", "description": "database upgrade"%s}
        """
        .formatted(
            start, end, noticeSentAt == null ? "" : ", \"noticeSentAt\": \"" + noticeSentAt + "\"");
  }

  static String schedule(String body) {
    return api()
        .body(body)
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** A failed "track" probe in each given minute: those minutes are unavailable. */
  static void failProbes(String... minutes) {
    String results =
        Arrays.stream(minutes)
            .map(
                m ->
                    """
                    {"at": "%s", "endpoint": "track", "ok": false, "latencyMs": 12,
                     "location": "test"}
                    """
                        .formatted(Instant.parse(m).plusSeconds(5)))
            .collect(Collectors.joining(",", "[", "]"));
    api().body(results).post("/v1/probe-results").then().statusCode(202);
  }

  @Test
  void schedulingWithoutNoticeSentAtNotifiesEveryCustomer() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    api()
        .body(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(201)
        .body("status", is("SCHEDULED"))
        .body("noticeId", is(PlatformStub.NOTICE_ID))
        .body("durationMinutes", is(120))
        .body("insideWeekendWindow", is(true))
        .body("flags", empty());

    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withHeader("Idempotency-Key", matching("maintenance-[0-9a-f-]{36}"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("MAINTENANCE")))
            .withRequestBody(matchingJsonPath("$.audience.type", equalTo("ALL")))
            .withRequestBody(matchingJsonPath("$.windowStart", equalTo("2025-11-29T20:00:00Z")))
            .withRequestBody(matchingJsonPath("$.windowEnd", equalTo("2025-11-29T22:00:00Z"))));
  }

  @Test
  void noticeServiceDownMeans503AndNothingStored() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    platform.stubFor(
        post(urlEqualTo("/v1/notices"))
            .atPriority(1)
            .willReturn(PlatformStub.json(503, "{\"code\": \"unavailable\"}")));

    api()
        .body(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(503)
        .body("code", is("notice_service_unavailable"));

    api()
        .queryParam("from", "2025-11-01T00:00:00Z")
        .queryParam("to", "2025-12-01T00:00:00Z")
        .get("/v1/maintenance-windows")
        .then()
        .statusCode(200)
        .body("$", empty());
  }

  @Test
  void anOverlappingWindowIsRefusedBeforeAnyoneIsNotified() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null));
    platform.resetRequests();

    api()
        .body(window("2025-11-29T21:59:00Z", "2025-11-29T23:00:00Z", null))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(409)
        .body("code", is("maintenance_window_overlap"));

    platform.verify(0, postRequestedFor(urlEqualTo("/v1/notices")));
    // Touching (end == start) is not overlapping.
    schedule(window("2025-11-29T22:00:00Z", "2025-11-29T23:00:00Z", "2025-11-20T16:00:00Z"));
  }

  @Test
  void endBeforeStartIs422() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    api()
        .body(window("2025-11-29T22:00:00Z", "2025-11-29T20:00:00Z", null))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(422)
        .body("code", is("end_before_start"));
    platform.verify(0, postRequestedFor(urlEqualTo("/v1/notices")));
  }

  @Test
  void aNoticeSentInTheFutureIsRefused() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    api()
        .body(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", "2025-11-21T00:00:00Z"))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(422)
        .body("code", is("notice_in_future"));
    String id =
        schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", "2025-11-20T16:00:00Z"));
    api()
        .body(
            """
            {"start": "2025-12-06T20:00:00Z", "end": "2025-12-06T22:00:00Z",
             "noticeSentAt": "2025-11-21T00:00:00Z"}
            """)
        .post("/v1/maintenance-windows/" + id + "/reschedule")
        .then()
        .statusCode(422)
        .body("code", is("notice_in_future"));
    api().get("/v1/maintenance-windows/" + id).then().body("status", is("SCHEDULED"));
    api()
        .body(
            """
            {"start": "2025-12-06T20:00:00Z", "end": "2025-12-06T22:00:00Z",
             "noticeSentAt": "2025-11-20T17:00:00Z"}
            """)
        .post("/v1/maintenance-windows/" + id + "/reschedule")
        .then()
        .statusCode(200)
        .body("noticeSentAt", is("2025-11-20T17:00:00Z"))
        .body("leadTime.met", is(true));
    platform.verify(0, postRequestedFor(urlEqualTo("/v1/notices")));
  }

  @Test
  void aWindowOutsideTheWeekendIsAcceptedButFlagged() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    // Wednesday 3 December 2025, 10:00-11:00 PST.
    api()
        .body(window("2025-12-03T18:00:00Z", "2025-12-03T19:00:00Z", null))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(201)
        .body("insideWeekendWindow", is(false))
        .body("flags", contains("MAINTENANCE_OUTSIDE_WEEKEND_WINDOW"));
    // Friday 28 November, 17:59 PST to Saturday: starts one minute before the weekend window.
    api()
        .body(window("2025-11-29T01:59:00Z", "2025-11-29T03:00:00Z", null))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(201)
        .body("insideWeekendWindow", is(false));
    // Friday 18:00 PST to Monday 03:00 PST exactly: inside.
    api()
        .body(window("2025-12-06T02:00:00Z", "2025-12-08T11:00:00Z", null))
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(201)
        .body("insideWeekendWindow", is(true))
        .body("flags", not(hasItem("MAINTENANCE_OUTSIDE_WEEKEND_WINDOW")));
  }

  @Test
  void cancellingNotifiesAndCanHappenOnce() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    String id = schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null));

    api()
        .body("{\"reason\": \"not needed\"}")
        .post("/v1/maintenance-windows/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("status", is("CANCELLED"))
        .body("statusReason", is("not needed"));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withHeader("Idempotency-Key", equalTo("maintenance-cancelled-" + id))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("MAINTENANCE_CANCELLED")))
            .withRequestBody(matchingJsonPath("$.relatedNoticeId", equalTo(PlatformStub.NOTICE_ID)))
            .withRequestBody(matchingJsonPath("$.audience.type", equalTo("ALL"))));

    api()
        .body("{\"reason\": \"again\"}")
        .post("/v1/maintenance-windows/" + id + "/cancel")
        .then()
        .statusCode(409)
        .body("code", is("maintenance_window_not_scheduled"));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("MAINTENANCE_CANCELLED"))));

    // A cancelled window no longer blocks its slot.
    schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null));
  }

  @Test
  void reschedulingNotifiesAndReplacesTheWindow() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    String id = schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null));
    platform.stubFor(
        post(urlEqualTo("/v1/notices"))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.kind", equalTo("MAINTENANCE_RESCHEDULED")))
            .willReturn(
                PlatformStub.json(
                    201,
                    "{\"id\": \"%s\", \"kind\": \"MAINTENANCE_RESCHEDULED\"}"
                        .formatted(OTHER_NOTICE))));

    // Overlapping its own old slot is fine: the old window is replaced.
    String newId =
        api()
            .body("{\"start\": \"2025-11-29T21:00:00Z\", \"end\": \"2025-11-29T23:00:00Z\"}")
            .post("/v1/maintenance-windows/" + id + "/reschedule")
            .then()
            .statusCode(200)
            .body("status", is("SCHEDULED"))
            .body("replaces", is(id))
            .body("noticeId", is(OTHER_NOTICE))
            .body("description", is("database upgrade"))
            .body("start", is("2025-11-29T21:00:00Z"))
            .extract()
            .path("id");

    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withHeader("Idempotency-Key", equalTo("maintenance-rescheduled-" + newId))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("MAINTENANCE_RESCHEDULED")))
            .withRequestBody(matchingJsonPath("$.relatedNoticeId", equalTo(PlatformStub.NOTICE_ID)))
            .withRequestBody(matchingJsonPath("$.windowStart", equalTo("2025-11-29T21:00:00Z"))));

    api()
        .get("/v1/maintenance-windows/" + id)
        .then()
        .statusCode(200)
        .body("status", is("RESCHEDULED"));
    api()
        .get("/v1/maintenance-windows/" + newId)
        .then()
        .statusCode(200)
        .body("status", is("SCHEDULED"))
        .body("replaces", is(id));
    api()
        .body("{\"start\": \"2025-11-30T21:00:00Z\", \"end\": \"2025-11-30T23:00:00Z\"}")
        .post("/v1/maintenance-windows/" + id + "/reschedule")
        .then()
        .statusCode(409)
        .body("code", is("maintenance_window_not_scheduled"));
  }

  /**
   * Saturday 29 November 2025, 12:00-14:00 PST (120 minutes). UTC_WS got the notice on Thursday 20
   * November: Fri 21, Mon 24, Tue 25, Wed 26 and Fri 28 lie strictly between (Thanksgiving, Thu 27,
   * is a holiday): 5 business days, it qualifies. NEW_WS got it on Tuesday 25 November: Wed 26 and
   * Fri 28 only, 2 business days (3 without the holiday): too late, its minutes are judged on the
   * evidence. PACIFIC_WS's delivery is unknown: not notified.
   */
  @Test
  void eachWorkspaceCountsTheWindowFromItsOwnNoticeDelivery() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    String id = schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null));
    platform.stubFor(
        get(urlEqualTo("/v1/notices/" + PlatformStub.NOTICE_ID))
            .willReturn(
                PlatformStub.json(
                    200,
                    """
                    {"id": "%s", "kind": "MAINTENANCE", "createdAt": "2025-11-20T17:00:00Z",
                     "recipients": [
                       {"workspaceId": "%s", "firstDeliveredAt": "2025-11-20T18:00:00Z"},
                       {"workspaceId": "%s", "firstDeliveredAt": "2025-11-25T18:00:00Z"},
                       {"workspaceId": "%s", "firstDeliveredAt": null}]}
                    """
                        .formatted(
                            PlatformStub.NOTICE_ID,
                            PlatformStub.UTC_WS,
                            PlatformStub.NEW_WS,
                            PlatformStub.PACIFIC_WS))));

    clock.set(Instant.parse("2025-11-30T12:00:00Z"));
    noticeSync.syncOnce().await().atMost(Duration.ofSeconds(30));
    failProbes("2025-11-29T20:00:00Z", "2025-11-29T20:30:00Z", "2025-11-29T21:59:00Z");
    // Just outside the window: unavailable for everyone.
    failProbes("2025-11-29T22:00:00Z");

    api()
        .get("/v1/maintenance-windows/" + id)
        .then()
        .statusCode(200)
        .body("noticeDeliveries.size()", is(3));

    report(PlatformStub.UTC_WS, "2025-11")
        .body("maintenanceExcludedMinutes", is(120))
        .body("excludedMinutes", is(120))
        .body("excludedByCategory.SCHEDULED_MAINTENANCE", is(120))
        .body("unavailableMinutes", is(1))
        .body("unavailable[0].minute", is("2025-11-29T22:00:00Z"))
        .body("maintenanceWindows[0].noticeSentAt", is("2025-11-20T18:00:00Z"))
        .body("maintenanceWindows[0].noticeBusinessDays", is(5))
        .body("maintenanceWindows[0].noticeQualifies", is(true))
        .body("flags.code", empty());

    report(PlatformStub.NEW_WS, "2025-11")
        .body("maintenanceExcludedMinutes", is(0))
        .body("excludedMinutes", is(0))
        .body("unavailableMinutes", is(4))
        .body("maintenanceWindows[0].noticeBusinessDays", is(2))
        .body("maintenanceWindows[0].noticeQualifies", is(false))
        .body("flags.code", contains("MAINTENANCE_NOTICE_TOO_LATE"))
        .body("flags[0].windowId", is(id));

    report(PlatformStub.PACIFIC_WS, "2025-11")
        .body("maintenanceExcludedMinutes", is(0))
        .body("unavailableMinutes", is(4))
        .body("maintenanceWindows[0].noticeSentAt", nullValue())
        .body("flags.code", contains("MAINTENANCE_NOT_NOTIFIED"));

    // The per-minute ledger says why.
    api()
        .queryParam("from", "2025-11-29T20:00:00Z")
        .queryParam("to", "2025-11-29T20:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("[0].verdict", is("EXCLUDED"))
        .body("[0].reason", is("SCHEDULED_MAINTENANCE"))
        .body("[0].probesFailed", is(1));
    api()
        .queryParam("from", "2025-11-29T20:00:00Z")
        .queryParam("to", "2025-11-29T20:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.NEW_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("[0].verdict", is("UNAVAILABLE"))
        .body("[0].reason", is("PROBES_FAILED"));
  }

  /** A window whose notice notice-service cannot find (404) does not hold up another's. */
  @Test
  void aNoticeThatCannotBeReadDoesNotHoldUpTheOthers() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    schedule(window("2025-11-29T18:00:00Z", "2025-11-29T19:00:00Z", null));
    platform.stubFor(
        post(urlEqualTo("/v1/notices"))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.windowStart", equalTo("2025-11-29T20:00:00Z")))
            .willReturn(
                PlatformStub.json(
                    201, "{\"id\": \"%s\", \"kind\": \"MAINTENANCE\"}".formatted(OTHER_NOTICE))));
    String id = schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null));
    platform.stubFor(
        get(urlEqualTo("/v1/notices/" + OTHER_NOTICE))
            .willReturn(
                PlatformStub.json(
                    200,
                    """
                    {"id": "%s", "kind": "MAINTENANCE", "createdAt": "2025-11-20T17:00:00Z",
                     "recipients": [
                       {"workspaceId": "%s", "firstDeliveredAt": "2025-11-20T18:00:00Z"}]}
                    """
                        .formatted(OTHER_NOTICE, PlatformStub.UTC_WS))));

    clock.set(Instant.parse("2025-11-30T12:00:00Z"));
    noticeSync.syncOnce().await().atMost(Duration.ofSeconds(30));

    api()
        .get("/v1/maintenance-windows/" + id)
        .then()
        .body("noticeDeliveries.workspaceId", contains(PlatformStub.UTC_WS));
    api()
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-11")
        .then()
        .body("maintenanceExcludedMinutes", is(120))
        .body("flags.code", contains("MAINTENANCE_NOT_NOTIFIED"));
  }

  /**
   * Two qualifying 200-minute windows in October 2025 (Saturdays 4 and 11, 01:00-04:20 PDT): the
   * first is excluded whole, the second's first 100 minutes reach the 300-minute cap and its last
   * 100 minutes (09:40Z-11:20Z) are ordinary minutes.
   */
  @Test
  void atMost300MinutesOfMaintenanceAreExcludedPerMonth() {
    clock.set(Instant.parse("2025-10-20T00:00:00Z"));
    String first =
        schedule(window("2025-10-04T08:00:00Z", "2025-10-04T11:20:00Z", "2025-09-25T16:00:00Z"));
    String second =
        schedule(window("2025-10-11T08:00:00Z", "2025-10-11T11:20:00Z", "2025-09-25T16:00:00Z"));
    platform.verify(0, postRequestedFor(urlEqualTo("/v1/notices")));
    failProbes(
        "2025-10-04T09:00:00Z", // excluded (first window)
        "2025-10-11T09:39:00Z", // the 300th excluded minute
        "2025-10-11T09:40:00Z", // the first minute over the cap
        "2025-10-11T11:19:00Z"); // the last minute over the cap

    report(PlatformStub.UTC_WS, "2025-10")
        .body("maintenanceExcludedMinutes", is(300))
        .body("maintenanceOverCapMinutes", is(100))
        .body("excludedMinutes", is(300))
        .body("eligibleMinutes", is(44_640 - 300))
        .body("unavailableMinutes", is(2))
        .body("unavailable.minute", contains("2025-10-11T09:40:00Z", "2025-10-11T11:19:00Z"))
        .body("maintenanceWindows.id", contains(first, second))
        .body("maintenanceWindows.excludedMinutes", contains(200, 100))
        .body("maintenanceWindows.overCapMinutes", contains(0, 100))
        .body("flags.code", contains("MAINTENANCE_OVER_CAP"))
        .body("flags[0].windowId", is(second));
  }

  /**
   * Friday 31 October 22:00Z to Saturday 1 November 02:00Z: 120 minutes in each UTC month; the
   * Pacific October ends at 07:00Z on 1 November, so all 240 minutes are in its October.
   */
  @Test
  void aWindowAcrossAMonthBoundaryCountsInEachMonth() {
    clock.set(Instant.parse("2025-11-05T00:00:00Z"));
    schedule(window("2025-10-31T22:00:00Z", "2025-11-01T02:00:00Z", "2025-10-20T16:00:00Z"));
    failProbes("2025-10-31T23:59:00Z", "2025-11-01T00:00:00Z");

    report(PlatformStub.UTC_WS, "2025-10")
        .body("maintenanceExcludedMinutes", is(120))
        .body("maintenanceWindows[0].minutesInMonth", is(120))
        .body("unavailableMinutes", is(0));
    report(PlatformStub.UTC_WS, "2025-11")
        .body("maintenanceExcludedMinutes", is(120))
        .body("maintenanceWindows[0].minutesInMonth", is(120))
        .body("unavailableMinutes", is(0));
    report(PlatformStub.PACIFIC_WS, "2025-10")
        .body("maintenanceExcludedMinutes", is(240))
        .body("unavailableMinutes", is(0));
    report(PlatformStub.PACIFIC_WS, "2025-11")
        .body("maintenanceExcludedMinutes", is(0))
        .body("maintenanceWindows", empty());
  }

  @Test
  void windowsWithJsonBodyCarryTheDescription() {
    clock.set(Instant.parse("2025-11-20T17:00:00Z"));
    schedule(window("2025-11-29T20:00:00Z", "2025-11-29T22:00:00Z", null));
    platform.verify(
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(
                equalToJson(
                    """
                    {"kind": "MAINTENANCE", "audience": {"type": "ALL"},
                     "windowStart": "2025-11-29T20:00:00Z", "windowEnd": "2025-11-29T22:00:00Z",
                     "description": "database upgrade"}
                    """)));
  }

  /** A workspace's report of a month, answered 200. */
  private static ValidatableResponse report(String workspaceId, String month) {
    return api().get("/v1/workspaces/" + workspaceId + "/reports/" + month).then().statusCode(200);
  }
}
