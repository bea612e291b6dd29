package dev.tributary.sla.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pure calculation over HTTP, with hand-worked figures. Nothing is read from the database, so
 * the expected numbers follow from the request alone.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class EvaluationResourceTest {

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

  // --- Month figures --------------------------------------------------------------------------

  @Test
  void thirtyDayMonthWithFourFailedMinutesMeetsTheTarget() {
    // June 2025: 30 days = 43,200 minutes, all eligible. 4 unavailable: 4 x 10,000 = 40,000 <=
    // 43,200 -> met. Availability 43,196 / 43,200 = 99.990740740...% -> "99.990740" (6 decimals,
    // rounded down). The other 43,196 minutes have no evidence: no data, counted as available.
    evaluate(
            """
            {"month": "2025-06", "timeZone": "UTC", "probeResults": %s}
            """
                .formatted(failingProbes("2025-06", 4)))
        .statusCode(200)
        .body("totalMinutes", is(43_200))
        .body("eligibleMinutes", is(43_200))
        .body("unavailableMinutes", is(4))
        .body("noDataMinutes", is(43_196))
        .body("availableMinutes", is(43_196))
        .body("availabilityPercent", equalTo("99.990740"))
        .body("targetMet", is(true))
        .body("errorBudgetMinutes", is(4))
        .body("errorBudgetRemainingMinutes", is(0))
        .body("unavailable[0].minute", equalTo("2025-06-03T10:00:00Z"))
        .body("unavailable[0].reason", equalTo("PROBES_FAILED"));
  }

  @Test
  void thirtyDayMonthWithFiveFailedMinutesMissesTheTarget() {
    // 5 x 10,000 = 50,000 > 43,200 -> missed. 43,195 / 43,200 = 99.988425925...% -> "99.988425".
    evaluate(
            """
            {"month": "2025-06", "probeResults": %s}
            """
                .formatted(failingProbes("2025-06", 5)))
        .statusCode(200)
        .body("timeZone", equalTo("UTC"))
        .body("unavailableMinutes", is(5))
        .body("availabilityPercent", equalTo("99.988425"))
        .body("targetMet", is(false))
        .body("errorBudgetRemainingMinutes", is(-1));
  }

  @Test
  void aMarchInAPacificContractLosesTheSpringForwardHour() {
    // March 2025 in America/Los_Angeles: 31 x 1,440 = 44,640 minutes less the hour skipped on
    // 9 March (02:00 -> 03:00 PDT) = 44,580. It starts at 08:00Z (PST) and ends at 07:00Z (PDT).
    evaluate(
            """
            {"month": "2025-03", "timeZone": "America/Los_Angeles"}
            """)
        .statusCode(200)
        .body("totalMinutes", is(44_580))
        .body("periodStart", equalTo("2025-03-01T08:00:00Z"))
        .body("periodEnd", equalTo("2025-04-01T07:00:00Z"))
        .body("noDataMinutes", is(44_580))
        .body("availabilityPercent", equalTo("100.000000"));
  }

  @Test
  void maintenanceWithEnoughNoticeIsExcluded() {
    // Window Saturday 12 July 2025 10:00-12:00 PDT (17:00-19:00Z), inside the weekend window.
    // Notice Monday 7 July 09:00 PDT: business days strictly between 7 and 12 July are Tue 8,
    // Wed 9, Thu 10, Fri 11 = 4 >= 3 -> qualifies: 120 minutes excluded; the failed minute in it
    // is excluded, not unavailable. Eligible 44,640 - 120 = 44,520.
    evaluate(
            """
            {"month": "2025-07", "timeZone": "UTC",
             "probeResults": [{"at": "2025-07-12T17:30:00Z", "endpoint": "track", "ok": false}],
             "maintenanceWindows": [{"start": "2025-07-12T17:00:00Z", "end": "2025-07-12T19:00:00Z",
                                     "noticeSentAt": "2025-07-07T16:00:00Z",
                                     "description": "database upgrade"}]}
            """)
        .statusCode(200)
        .body("maintenanceExcludedMinutes", is(120))
        .body("maintenanceOverCapMinutes", is(0))
        .body("excludedMinutes", is(120))
        .body("excludedByCategory.SCHEDULED_MAINTENANCE", is(120))
        .body("eligibleMinutes", is(44_520))
        .body("unavailableMinutes", is(0))
        .body("flags", empty())
        .body("maintenanceWindows[0].noticeBusinessDays", is(4))
        .body("maintenanceWindows[0].noticeQualifies", is(true))
        .body("maintenanceWindows[0].insideWeekendWindow", is(true))
        .body("maintenanceWindows[0].excludedMinutes", is(120));
  }

  @Test
  void maintenanceNoticeTooLateBecauseOfAHoliday() {
    // Window Saturday 5 July 2025 10:00-12:00 PDT. Notice Tuesday 1 July 09:00 PDT: strictly
    // between 1 and 5 July are Wed 2, Thu 3 and Fri 4 July - Independence Day, a federal holiday
    // - so 2 business days < 3: the window excludes nothing and is flagged; its failed minute is
    // an ordinary unavailable minute.
    evaluate(
            """
            {"month": "2025-07", "timeZone": "UTC",
             "probeResults": [{"at": "2025-07-05T17:30:00Z", "endpoint": "track", "ok": false}],
             "maintenanceWindows": [{"start": "2025-07-05T17:00:00Z", "end": "2025-07-05T19:00:00Z",
                                     "noticeSentAt": "2025-07-01T16:00:00Z"}]}
            """)
        .statusCode(200)
        .body("maintenanceExcludedMinutes", is(0))
        .body("excludedMinutes", is(0))
        .body("eligibleMinutes", is(44_640))
        .body("unavailableMinutes", is(1))
        .body("unavailable[0].minute", equalTo("2025-07-05T17:30:00Z"))
        .body("flags.code", contains("MAINTENANCE_NOTICE_TOO_LATE"))
        .body("flags[0].windowId", equalTo("window-1"))
        .body("maintenanceWindows[0].noticeBusinessDays", is(2))
        .body("maintenanceWindows[0].noticeQualifies", is(false));
  }

  @Test
  void exclusionsAreBrokenDownByCategory() {
    // FORCE_MAJEURE 2 July 00:00-01:00Z = 60 minutes (its failed minute is excluded),
    // DENIAL_OF_SERVICE 3 July 12:00-12:30Z = 30 minutes, and the qualifying maintenance window
    // of 12 July = 120 minutes: 210 excluded, 44,640 - 210 = 44,430 eligible. The failed minute
    // outside every exclusion (4 July 00:00Z) stays unavailable: 44,429 / 44,430 =
    // 99.997749268...% -> "99.997749".
    evaluate(
            """
            {"month": "2025-07",
             "probeResults": [{"at": "2025-07-02T00:30:00Z", "endpoint": "group", "ok": false},
                              {"at": "2025-07-04T00:00:00Z", "endpoint": "alias", "ok": false}],
             "maintenanceWindows": [{"start": "2025-07-12T17:00:00Z", "end": "2025-07-12T19:00:00Z",
                                     "noticeSentAt": "2025-07-07T16:00:00Z"}],
             "exclusions": [{"start": "2025-07-02T00:00:00Z", "end": "2025-07-02T01:00:00Z",
                             "category": "FORCE_MAJEURE", "reason": "regional power outage"},
                            {"start": "2025-07-03T12:00:00Z", "end": "2025-07-03T12:30:00Z",
                             "category": "DENIAL_OF_SERVICE", "reason": "volumetric attack"}]}
            """)
        .statusCode(200)
        .body("excludedMinutes", is(210))
        .body("excludedByCategory.FORCE_MAJEURE", is(60))
        .body("excludedByCategory.DENIAL_OF_SERVICE", is(30))
        .body("excludedByCategory.SCHEDULED_MAINTENANCE", is(120))
        .body("eligibleMinutes", is(44_430))
        .body("unavailableMinutes", is(1))
        .body("unavailable[0].minute", equalTo("2025-07-04T00:00:00Z"))
        .body("availabilityPercent", equalTo("99.997749"))
        .body("exclusions.category", contains("FORCE_MAJEURE", "DENIAL_OF_SERVICE"))
        .body("exclusions.excludedMinutes", contains(60, 30))
        .body("exclusions[0].reason", equalTo("regional power outage"));
  }

  @Test
  void errorRateFromRequestStatistics() {
    // 20 valid of 25 (5 throttled), 1 failed with 5xx: 1 x 100 >= 5 x 20 -> unavailable.
    evaluate(
            """
            {"month": "2025-07",
             "requestStats": [{"minute": "2025-07-01T00:00:00Z", "requests": 25, "failed5xx": 1,
                               "throttled429": 5},
                              {"minute": "2025-07-01T00:01:00Z", "requests": 19,
                               "failed5xx": 5}]}
            """)
        .statusCode(200)
        .body("unavailableMinutes", is(1))
        .body("unavailable[0].reason", equalTo("ERROR_RATE"))
        .body("noDataMinutes", is(44_640 - 2));
  }

  // --- Bad input ------------------------------------------------------------------------------

  @Test
  void endBeforeStartIsRefused() {
    evaluate(
            """
            {"month": "2025-07",
             "exclusions": [{"start": "2025-07-02T01:00:00Z", "end": "2025-07-02T00:00:00Z",
                             "category": "FORCE_MAJEURE", "reason": "storm"}]}
            """)
        .statusCode(422)
        .body("code", equalTo("end_before_start"));
    evaluate(
            """
            {"month": "2025-07",
             "maintenanceWindows": [{"start": "2025-07-12T19:00:00Z",
                                     "end": "2025-07-12T19:00:00Z"}]}
            """)
        .statusCode(422)
        .body("code", equalTo("end_before_start"));
  }

  @Test
  void unknownCategoryIsRefused() {
    evaluate(
            """
            {"month": "2025-07",
             "exclusions": [{"start": "2025-07-02T00:00:00Z", "end": "2025-07-02T01:00:00Z",
                             "category": "ACT_OF_GOD", "reason": "storm"}]}
            """)
        .statusCode(422)
        .body("code", equalTo("unknown_category"));
  }

  @Test
  void overlappingMaintenanceWindowsAreRefused() {
    evaluate(
            """
            {"month": "2025-07",
             "maintenanceWindows": [{"start": "2025-07-12T17:00:00Z", "end": "2025-07-12T19:00:00Z",
                                     "noticeSentAt": "2025-07-07T16:00:00Z"},
                                    {"start": "2025-07-12T18:59:00Z", "end": "2025-07-12T20:00:00Z",
                                     "noticeSentAt": "2025-07-07T16:00:00Z"}]}
            """)
        .statusCode(422)
        .body("code", equalTo("overlapping_maintenance_windows"));
    // Back to back is not an overlap.
    evaluate(
            """
            {"month": "2025-07",
             "maintenanceWindows": [{"start": "2025-07-12T17:00:00Z", "end": "2025-07-12T19:00:00Z",
                                     "noticeSentAt": "2025-07-07T16:00:00Z"},
                                    {"start": "2025-07-12T19:00:00Z", "end": "2025-07-12T20:00:00Z",
                                     "noticeSentAt": "2025-07-07T16:00:00Z"}]}
            """)
        .statusCode(200)
        .body("maintenanceExcludedMinutes", is(180));
  }

  @Test
  void invalidMonthAndTimeZoneAreRefused() {
    evaluate("{\"month\": \"2025-13\"}").statusCode(400).body("code", equalTo("invalid_month"));
    evaluate("{\"month\": \"July 2025\"}").statusCode(400).body("code", equalTo("invalid_month"));
    evaluate("{}").statusCode(400).body("code", equalTo("invalid_month"));
    evaluate("{\"month\": \"2025-07\", \"timeZone\": \"Mars/Olympus_Mons\"}")
        .statusCode(422)
        .body("code", equalTo("invalid_time_zone"));
  }

  @Test
  void unknownEndpointIsRefused() {
    evaluate(
            """
            {"month": "2025-07",
             "probeResults": [{"at": "2025-07-02T00:00:00Z", "endpoint": "batch", "ok": false}]}
            """)
        .statusCode(422)
        .body("code", equalTo("unknown_endpoint"));
  }

  // --- Special Termination Right --------------------------------------------------------------

  @Test
  void twoConsecutiveFailuresMakeTheRightAvailable() {
    // May and June 2025 missed; the June SLA_MISS notice (1 July 10:00Z) completes the trigger:
    // awareness then, deadline 30 days later, 31 July 10:00Z.
    terminationRight(
            """
            {"months": [{"month": "2025-04", "targetMet": true},
                        {"month": "2025-05", "targetMet": false,
                         "noticeSentAt": "2025-06-01T10:00:00Z"},
                        {"month": "2025-06", "targetMet": false,
                         "noticeSentAt": "2025-07-01T10:00:00Z"}],
             "asOf": "2025-07-10T00:00:00Z"}
            """)
        .statusCode(200)
        .body("status", equalTo("AVAILABLE"))
        .body("triggeringMonths", contains("2025-05", "2025-06"))
        .body("awareAt", equalTo("2025-07-01T10:00:00Z"))
        .body("deadline", equalTo("2025-07-31T10:00:00Z"))
        .body("triggers[0].rule", equalTo("TWO_CONSECUTIVE_MONTHS"));
  }

  @Test
  void theRightIsWaivedAfterItsDeadline() {
    String months =
        """
        [{"month": "2025-05", "targetMet": false, "noticeSentAt": "2025-06-01T10:00:00Z"},
         {"month": "2025-06", "targetMet": false, "noticeSentAt": "2025-07-01T10:00:00Z"}]
        """;
    // On the deadline itself the right is still available; a second later it is waived.
    terminationRight("{\"months\": %s, \"asOf\": \"2025-07-31T10:00:00Z\"}".formatted(months))
        .statusCode(200)
        .body("status", equalTo("AVAILABLE"));
    terminationRight("{\"months\": %s, \"asOf\": \"2025-07-31T10:00:01Z\"}".formatted(months))
        .statusCode(200)
        .body("status", equalTo("WAIVED"))
        .body("deadline", equalTo("2025-07-31T10:00:00Z"));
  }

  @Test
  void threeFailuresInSixMonthsTriggerButOneFourSevenDoNot() {
    // January, March, May: three failures within January-June -> THREE_OF_SIX_MONTHS.
    terminationRight(
            """
            {"months": [{"month": "2025-01", "targetMet": false,
                         "noticeSentAt": "2025-02-01T09:00:00Z"},
                        {"month": "2025-02", "targetMet": true},
                        {"month": "2025-03", "targetMet": false,
                         "noticeSentAt": "2025-04-01T09:00:00Z"},
                        {"month": "2025-04", "targetMet": true},
                        {"month": "2025-05", "targetMet": false,
                         "noticeSentAt": "2025-06-01T09:00:00Z"}],
             "asOf": "2025-06-05T00:00:00Z"}
            """)
        .statusCode(200)
        .body("status", equalTo("AVAILABLE"))
        .body("triggeringMonths", contains("2025-01", "2025-03", "2025-05"))
        .body("triggers[0].rule", equalTo("THREE_OF_SIX_MONTHS"))
        .body("deadline", equalTo("2025-07-01T09:00:00Z"));
    // January, April, July: no six consecutive months hold three of them (Feb-Jul holds two).
    List<String> months = new ArrayList<>();
    for (int m = 1; m <= 7; m++) {
      boolean failed = m == 1 || m == 4 || m == 7;
      months.add(
          "{\"month\": \"2025-0%d\", \"targetMet\": %s%s}"
              .formatted(
                  m,
                  !failed,
                  failed ? ", \"noticeSentAt\": \"2025-0%d-01T09:00:00Z\"".formatted(m + 1) : ""));
    }
    terminationRight(
            "{\"months\": [%s], \"asOf\": \"2025-08-05T00:00:00Z\"}"
                .formatted(String.join(",", months)))
        .statusCode(200)
        .body("status", equalTo("NONE"))
        .body("triggeringMonths", empty())
        .body("deadline", nullValue())
        .body("triggers", empty());
  }

  @Test
  void aMonthGivenTwiceIsRefused() {
    terminationRight(
            """
            {"months": [{"month": "2025-05", "targetMet": false},
                        {"month": "2025-05", "targetMet": true}],
             "asOf": "2025-07-10T00:00:00Z"}
            """)
        .statusCode(422)
        .body("code", equalTo("duplicate_month"));
  }

  @Test
  void aNullMonthIsRefused() {
    terminationRight("{\"months\": [null], \"asOf\": \"2025-07-10T00:00:00Z\"}")
        .statusCode(422)
        .body("code", equalTo("missing_field"));
    terminationRight("{\"asOf\": \"2025-07-10T00:00:00Z\"}")
        .statusCode(422)
        .body("code", equalTo("missing_field"));
  }

  // --- Helpers --------------------------------------------------------------------------------

  /** n probe results at 10:00Z on days 3, 4, ... of the month, each failing (track). */
  private static String failingProbes(String month, int n) {
    List<String> probes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      probes.add(
          "{\"at\": \"%s-%02dT10:00:00Z\", \"endpoint\": \"track\", \"ok\": false}"
              .formatted(month, 3 + i));
    }
    return "[" + String.join(",", probes) + "]";
  }

  private static ValidatableResponse evaluate(String body) {
    return given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/evaluations")
        .then();
  }

  private static ValidatableResponse terminationRight(String body) {
    return given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/termination-right/evaluations")
        .then();
  }
}
