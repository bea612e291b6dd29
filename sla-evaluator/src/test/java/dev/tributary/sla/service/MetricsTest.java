package dev.tributary.sla.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** The SLA gauges and minute counters of {@link SlaMetrics}, as Prometheus scrapes them. */
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
  void availabilityBudgetAndMinuteCountersPerWorkspace() {
    // July 2030: later than any other test's clock, so no earlier refresh has counted these
    // minutes already (the counters and the last counted minute live as long as the application).
    clock.set(Instant.parse("2030-07-16T00:10:00Z"));
    // Evidence: every track probe failed at 10 July 08:00 and at 16 July 00:07, both past.
    probeResults(
        """
        [{"at": "2030-07-10T08:00:05Z", "endpoint": "track", "ok": false, "location": "x"},
         {"at": "2030-07-16T00:07:05Z", "endpoint": "track", "ok": false, "location": "x"},
         {"at": "2030-07-16T00:08:05Z", "endpoint": "track", "ok": true, "location": "x"}]
        """);
    String utc = "workspace=\"" + PlatformStub.UTC_WS + "\"";
    double unavailableBefore =
        ProberTest.metric("tributary_sla_minutes_total", utc, "verdict=\"unavailable\"");
    double availableBefore =
        ProberTest.metric("tributary_sla_minutes_total", utc, "verdict=\"available\"");

    // Refresh at 00:10: evaluated as of 00:08 (minutes settle for two), so the minutes before
    // 00:08 are finished. July has 44,640 eligible minutes, 2 unavailable: availability
    // 44,638 / 44,640 = 99.995519713...% -> 99.995519; error budget 44,640 / 10,000 = 4 minutes,
    // 2 remaining. The first refresh of a workspace counts the minute before as-of: 00:07,
    // unavailable.
    metrics.refresh().await().atMost(WAIT);

    assertEquals(
        99.995519,
        ProberTest.metric("tributary_sla_availability_percent", utc),
        1e-9,
        "availability of UTC_WS");
    assertEquals(
        2.0, ProberTest.metric("tributary_sla_error_budget_remaining_minutes", utc), "budget");
    assertEquals(
        99.995519,
        ProberTest.metric(
            "tributary_sla_availability_percent", "workspace=\"" + PlatformStub.NEW_WS + "\""),
        1e-9,
        "probe failures count for every workspace");
    assertEquals(
        unavailableBefore + 1,
        ProberTest.metric("tributary_sla_minutes_total", utc, "verdict=\"unavailable\""));

    // A minute later the next finished minute, 00:08 (its probe succeeded), is counted once.
    clock.set(Instant.parse("2030-07-16T00:11:00Z"));
    metrics.refresh().await().atMost(WAIT);
    assertEquals(
        availableBefore + 1,
        ProberTest.metric("tributary_sla_minutes_total", utc, "verdict=\"available\""));
    assertEquals(
        unavailableBefore + 1,
        ProberTest.metric("tributary_sla_minutes_total", utc, "verdict=\"unavailable\""));
    // Refreshing again at the same instant counts nothing twice.
    metrics.refresh().await().atMost(WAIT);
    assertEquals(
        availableBefore + 1,
        ProberTest.metric("tributary_sla_minutes_total", utc, "verdict=\"available\""));
  }

  private static void probeResults(String body) {
    given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/probe-results")
        .then()
        .statusCode(202);
  }
}
