package dev.tributary.sla.status;

import static io.restassured.RestAssured.given;

import dev.tributary.sla.config.TestClock;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The evidence every status page test reads, stored through the service's own APIs, with "now" at
 * {@link #NOW} (Wednesday 18 March 2026, 12:00:30 UTC; the bar runs from 19 December 2025):
 *
 * <ul>
 *   <li>every endpoint answered in the last 20 minutes (the components are operational);
 *   <li>an outage on 10 March: every probe of track failed from 14:00 to 15:12 UTC, 72 minutes;
 *   <li>a short one on 12 March: page failed 3 minutes from 09:00 UTC;
 *   <li>a 2-hour maintenance window on Saturday 7 March 02:00-04:00 UTC (Friday 18:00 PST), its
 *       notice sent Monday 2 March (3 Pacific business days: qualifies), during which every probe
 *       of every endpoint failed: maintenance, not downtime;
 *   <li>an upcoming window on Saturday 21 March 02:00-03:00 UTC, announced today (1 business day:
 *       does not qualify);
 *   <li>10 failed minutes on 10 February (UTC 20:00), in the Pacific month of February too;
 *   <li>an exclusion of everyone (INTERNET_PROBLEM) on 14 March 06:00-06:30, declared by a person
 *       whose address must never appear on the public page.
 * </ul>
 */
public final class StatusEvidence {

  public static final Instant NOW = Instant.parse("2026-03-18T12:00:30Z");
  public static final String DECLARED_BY = "alice.operator@ops.example";
  public static final String OUTAGE_DAY = "2026-03-10";
  public static final String MAINTENANCE_DAY = "2026-03-07";

  static final List<String> ENDPOINTS =
      List.of("identify", "track", "page", "screen", "group", "alias");

  private StatusEvidence() {}

  public static RequestSpecification service() {
    return given().auth().oauth2("test-service-token").contentType(ContentType.JSON);
  }

  public static RequestSpecification admin() {
    return given().auth().oauth2("test-admin-token").contentType(ContentType.JSON);
  }

  /** Stores the evidence above and leaves the clock at {@link #NOW}. */
  public static void seed(TestClock clock) {
    clock.set(NOW);
    List<String> results = new ArrayList<>();
    Instant recent = NOW.minusSeconds(30).minusSeconds(20 * 60);
    for (int m = 0; m < 20; m++) {
      for (String endpoint : ENDPOINTS) {
        results.add(result(recent.plusSeconds(60L * m), endpoint, true));
      }
    }
    failMinutes(results, Instant.parse("2026-03-10T14:00:00Z"), 72, List.of("track"));
    failMinutes(results, Instant.parse("2026-03-12T09:00:00Z"), 3, List.of("page"));
    failMinutes(results, Instant.parse("2026-03-07T02:00:00Z"), 120, ENDPOINTS);
    failMinutes(results, Instant.parse("2026-02-10T20:00:00Z"), 10, List.of("alias"));
    post(results);

    service()
        .body(
            """
            {"start": "2026-03-07T02:00:00Z", "end": "2026-03-07T04:00:00Z",
             "description": "database upgrade", "noticeSentAt": "2026-03-02T18:00:00Z"}
            """)
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(201);
    service()
        .body(
            """
            {"start": "2026-03-21T02:00:00Z", "end": "2026-03-21T03:00:00Z",
             "description": "storage migration", "noticeSentAt": "2026-03-18T11:00:00Z"}
            """)
        .post("/v1/maintenance-windows")
        .then()
        .statusCode(201);
    service()
        .body(
            """
            {"start": "2026-03-14T06:00:00Z", "end": "2026-03-14T06:30:00Z",
             "category": "INTERNET_PROBLEM", "reason": "upstream transit loss",
             "declaredBy": "%s"}
            """
                .formatted(DECLARED_BY))
        .post("/v1/exclusions")
        .then()
        .statusCode(201);
  }

  /** Every probe of {@code endpoint} fails in the minute {@code at} (now or earlier). */
  public static void fail(Instant at, String endpoint) {
    List<String> results = new ArrayList<>();
    failMinutes(results, at, 1, List.of(endpoint));
    post(results);
  }

  private static void failMinutes(
      List<String> results, Instant from, int minutes, List<String> endpoints) {
    for (int m = 0; m < minutes; m++) {
      for (String endpoint : endpoints) {
        results.add(result(from.plusSeconds(60L * m), endpoint, false));
      }
    }
  }

  private static String result(Instant minute, String endpoint, boolean ok) {
    return """
        {"at": "%s", "endpoint": "%s", "ok": %s, "latencyMs": 12, "location": "test"}"""
        .formatted(minute.plusSeconds(5), endpoint, ok);
  }

  private static void post(List<String> results) {
    StringJoiner body = new StringJoiner(",", "[", "]");
    results.forEach(body::add);
    service().body(body.toString()).post("/v1/probe-results").then().statusCode(202);
  }

  /** The report API's figure floored to four decimals, as the pages show it. */
  public static String reportFigure(String workspaceId, String month) {
    String percent =
        service()
            .get("/v1/workspaces/" + workspaceId + "/reports/" + month)
            .then()
            .statusCode(200)
            .extract()
            .path("availabilityPercent");
    return new BigDecimal(percent).setScale(4, RoundingMode.FLOOR).toPlainString();
  }

  /** A new private link of the workspace's page: its path. */
  public static String rotateLink(String workspaceId) {
    return admin()
        .post("/admin/v1/workspaces/" + workspaceId + "/status-link")
        .then()
        .statusCode(201)
        .extract()
        .path("path");
  }
}
