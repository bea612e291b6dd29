package dev.tributary.sla.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SLA series of {@link SlaMetrics}, as Prometheus scrapes them: platform-level minute counters
 * and workspace counts by standing, and per-workspace series only for workspaces at risk.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class MetricsTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject SlaMetrics metrics;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
  }

  @Test
  void platformMinutesAreCountedOnceEach() {
    // July 2030: later than any other test's clock, so no earlier refresh counted these minutes.
    clock.set(Instant.parse("2030-07-16T00:10:00Z"));
    probeResults(
        """
        [{"at": "2030-07-16T00:07:05Z", "endpoint": "track", "ok": false, "location": "x"},
         {"at": "2030-07-16T00:08:05Z", "endpoint": "track", "ok": true, "location": "x"}]
        """);
    double unavailableBefore = ProberTest.metric("tributary_sla_minutes_total", unavailable());
    double availableBefore = ProberTest.metric("tributary_sla_minutes_total", available());

    // At 00:10 the minutes before 00:08 are finished (they settle for two): 00:07 is unavailable.
    metrics.refresh().await().atMost(WAIT);
    assertEquals(
        unavailableBefore + 1, ProberTest.metric("tributary_sla_minutes_total", unavailable()));

    // A minute later the next finished minute, 00:08 (its probe succeeded), is counted once.
    clock.set(Instant.parse("2030-07-16T00:11:00Z"));
    metrics.refresh().await().atMost(WAIT);
    assertEquals(
        availableBefore + 1, ProberTest.metric("tributary_sla_minutes_total", available()));
    // Refreshing again at the same instant counts nothing twice.
    metrics.refresh().await().atMost(WAIT);
    assertEquals(
        availableBefore + 1, ProberTest.metric("tributary_sla_minutes_total", available()));
    assertEquals(
        unavailableBefore + 1, ProberTest.metric("tributary_sla_minutes_total", unavailable()));
    // No series carries a workspace label unless the workspace is at risk.
    assertFalse(metricsText().contains("tributary_sla_minutes_total{workspace"));
  }

  @Test
  void workspaceSeriesOnlyWhileAtRiskOrMissed() {
    clock.set(Instant.parse("2030-07-16T00:10:00Z"));
    // Two failed minutes by 00:08 on 16 July: 2 x 10,000 / 21,608 judged minutes = 0.93 of the
    // budget's pace (the UTC workspaces; Pacific's month started 7 h later, 0.94): all on track.
    probeResults(failure("2030-07-10T08:00:05Z") + "," + failure("2030-07-16T00:07:05Z"));
    metrics.refresh().await().atMost(WAIT);
    assertEquals(3.0, ProberTest.metric("tributary_sla_workspaces", "state=\"met\""));
    assertEquals(0.0, ProberTest.metric("tributary_sla_workspaces", "state=\"at_risk\""));
    assertFalse(metricsText().contains("tributary_sla_availability_percent{"), "no series");

    // A third: 1.39 times the pace. Every workspace is at risk and gets its series: July has
    // 44,640 eligible minutes, 3 unavailable: 99.993279...%, 4 - 3 = 1 minute of budget left.
    probeResults(failure("2030-07-12T12:00:05Z"));
    metrics.refresh().await().atMost(WAIT);
    assertEquals(3.0, ProberTest.metric("tributary_sla_workspaces", "state=\"at_risk\""));
    String utc = "workspace=\"" + PlatformStub.UTC_WS + "\"";
    assertEquals(
        99.993279, ProberTest.metric("tributary_sla_availability_percent", utc), 1e-9, "UTC_WS");
    assertEquals(1.0, ProberTest.metric("tributary_sla_error_budget_remaining_minutes", utc));
    assertEquals(
        1.388, ProberTest.metric("tributary_sla_error_budget_burn_rate", utc), 1e-9, "3e4/21608");

    // Two more: five unavailable minutes, one over the budget: missed.
    probeResults(failure("2030-07-13T12:00:05Z") + "," + failure("2030-07-14T12:00:05Z"));
    metrics.refresh().await().atMost(WAIT);
    assertEquals(3.0, ProberTest.metric("tributary_sla_workspaces", "state=\"missed\""));
    assertEquals(-1.0, ProberTest.metric("tributary_sla_error_budget_remaining_minutes", utc));

    // The evidence gone (a correction, say), the workspaces are on track and their series go.
    tables.truncateAll();
    metrics.refresh().await().atMost(WAIT);
    assertEquals(3.0, ProberTest.metric("tributary_sla_workspaces", "state=\"met\""));
    String text = metricsText();
    assertFalse(text.contains("tributary_sla_availability_percent{"), "series removed");
    assertFalse(text.contains("tributary_sla_error_budget_burn_rate{"), "series removed");
    assertTrue(text.contains("tributary_sla_metrics_refresh_seconds_count"), "refresh timed");
  }

  private static String failure(String at) {
    return "{\"at\": \"%s\", \"endpoint\": \"track\", \"ok\": false, \"location\": \"x\"}"
        .formatted(at);
  }

  private static String unavailable() {
    return "verdict=\"unavailable\"";
  }

  private static String available() {
    return "verdict=\"available\"";
  }

  private static String metricsText() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  private static void probeResults(String body) {
    String json = body.strip().startsWith("[") ? body : "[" + body + "]";
    given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(json)
        .post("/v1/probe-results")
        .then()
        .statusCode(202);
  }
}
