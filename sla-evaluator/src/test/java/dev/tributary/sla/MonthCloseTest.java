package dev.tributary.sla;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tributary.sla.MaintenanceWindowTest.api;
import static dev.tributary.sla.MaintenanceWindowTest.failProbes;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.sla.service.MonthCloser;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing months: frozen reports, SLA_MISS notices at the 4/5-minute boundary of a 31-day month,
 * late evidence, explicit corrections, and reports in the contract time zone.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class MonthCloseTest {

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject MonthCloser closer;
  @Inject Pool pool;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
  }

  private void close() {
    closer.closeDueMonths().await().atMost(Duration.ofMinutes(2));
  }

  private static String report(String workspace, String month) {
    return "/v1/workspaces/" + workspace + "/reports/" + month;
  }

  /**
   * Five failed minutes in August 2025 (UTC). Every UTC workspace sees them; NEW_WS declared one of
   * them customer-caused. UTC_WS: 5 unavailable of 44,640 eligible, 5 × 10,000 = 50,000 > 44,640:
   * missed, availability 44,635 / 44,640 = 99.988799% (rounded down). NEW_WS: 4 unavailable of
   * 44,639 eligible, 40,000 ≤ 44,639: met, 44,635 / 44,639 = 99.991039%.
   */
  private void augustWithFiveFailedMinutes() {
    clock.set(Instant.parse("2025-08-31T12:00:00Z"));
    failProbes(
        "2025-08-03T10:00:00Z",
        "2025-08-10T10:00:00Z",
        "2025-08-17T10:00:00Z",
        "2025-08-24T10:00:00Z",
        "2025-08-31T10:00:00Z");
    api()
        .body(
            """
            {"start": "2025-08-31T10:00:00Z", "end": "2025-08-31T10:01:00Z",
             "category": "CUSTOMER_CAUSED", "workspaceId": "%s",
             "reason": "the customer's own proxy rejected the probe"}
            """
                .formatted(PlatformStub.NEW_WS))
        .post("/v1/exclusions")
        .then()
        .statusCode(201);
  }

  /**
   * A close that stops in the middle (here: PostgreSQL refuses UTC_WS's August, leaving it as a
   * crash between two freezes would) froze the others; the next round freezes the rest, each month
   * once, with the report a fresh evaluation gives, and sends the SLA_MISS notice once.
   */
  @Test
  void aCloseInterruptedInTheMiddleIsFinishedByTheNextRound() {
    augustWithFiveFailedMinutes();
    String live =
        api()
            .get(report(PlatformStub.UTC_WS, "2025-08"))
            .then()
            .extract()
            .path("availabilityPercent");
    sql(
        """
        create function sla.refuse_utc_ws() returns trigger language plpgsql as $$
        begin
          if new.workspace_id = '%s' and new.month = '2025-08' then
            raise exception 'the evaluator died here';
          end if;
          return new;
        end $$;
        create trigger refuse_utc_ws before insert on sla.monthly_reports
          for each row execute function sla.refuse_utc_ws();
        """
            .formatted(PlatformStub.UTC_WS));
    clock.set(Instant.parse("2025-09-01T00:20:00Z"));
    try {
      close();
    } finally {
      sql("drop trigger refuse_utc_ws on sla.monthly_reports; drop function sla.refuse_utc_ws();");
    }
    api().get(report(PlatformStub.NEW_WS, "2025-08")).then().body("frozen", is(true));
    api().get(report(PlatformStub.UTC_WS, "2025-08")).then().body("frozen", is(false));

    clock.set(Instant.parse("2025-09-01T00:25:00Z"));
    close();
    close();
    api()
        .get(report(PlatformStub.UTC_WS, "2025-08"))
        .then()
        .body("frozen", is(true))
        .body("revision", is(1))
        .body("availabilityPercent", is(live));
    assertEquals(
        1L,
        (long)
            pool.query(
                    "select count(*) as n from sla.monthly_reports where month = '2025-08'"
                        + " and workspace_id = '"
                        + PlatformStub.UTC_WS
                        + "'")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next()
                .getLong("n"));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SLA_MISS"))));
  }

  private void sql(String statements) {
    pool.query(statements).execute().await().atMost(Duration.ofSeconds(30));
  }

  @Test
  void closingFreezesEveryDueMonthAndNotifiesTheMiss() {
    augustWithFiveFailedMinutes();
    // 15 minutes of grace after the month's end have passed in UTC, not yet in Pacific Time.
    clock.set(Instant.parse("2025-09-01T00:20:00Z"));
    close();

    api()
        .get(report(PlatformStub.UTC_WS, "2025-08"))
        .then()
        .statusCode(200)
        .body("frozen", is(true))
        .body("revision", is(1))
        .body("frozenAt", is("2025-09-01T00:20:00Z"))
        .body("totalMinutes", is(44_640))
        .body("unavailableMinutes", is(5))
        .body("eligibleMinutes", is(44_640))
        .body("noDataMinutes", is(44_640 - 5))
        .body("availabilityPercent", is("99.988799"))
        .body("targetMet", is(false))
        .body("complete", is(true))
        .body("slaMissNoticeId", is(PlatformStub.NOTICE_ID));
    api()
        .get(report(PlatformStub.NEW_WS, "2025-08"))
        .then()
        .statusCode(200)
        .body("frozen", is(true))
        .body("revision", is(1))
        .body("unavailableMinutes", is(4))
        .body("excludedMinutes", is(1))
        .body("excludedByCategory.CUSTOMER_CAUSED", is(1))
        .body("eligibleMinutes", is(44_639))
        .body("availabilityPercent", is("99.991039"))
        .body("targetMet", is(true))
        .body("slaMissNoticeId", nullValue());
    // Every earlier month since the workspace was created is frozen too, and none before.
    api().get(report(PlatformStub.UTC_WS, "2024-01")).then().body("frozen", is(true));
    api().get(report(PlatformStub.NEW_WS, "2025-06")).then().body("frozen", is(true));
    api()
        .get(report(PlatformStub.NEW_WS, "2025-05"))
        .then()
        .statusCode(422)
        .body("code", is("month_before_workspace"));
    // Pacific Time's August ends at 07:00Z: only July is closed there.
    api().get(report(PlatformStub.PACIFIC_WS, "2025-07")).then().body("frozen", is(true));
    api().get(report(PlatformStub.PACIFIC_WS, "2025-08")).then().body("frozen", is(false));

    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SLA_MISS"))));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withHeader("Idempotency-Key", equalTo("sla-miss-" + PlatformStub.UTC_WS + "-2025-08"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SLA_MISS")))
            .withRequestBody(matchingJsonPath("$.audience.type", equalTo("WORKSPACES")))
            .withRequestBody(
                matchingJsonPath("$.audience.workspaceIds[0]", equalTo(PlatformStub.UTC_WS)))
            .withRequestBody(matchingJsonPath("$.audience.workspaceIds.length()", equalTo("1")))
            .withRequestBody(matchingJsonPath("$.month", equalTo("2025-08")))
            .withRequestBody(
                matchingJsonPath("$.details.availabilityPercent", equalTo("99.988799"))));

    // A second round changes nothing and sends nothing more.
    clock.set(Instant.parse("2025-09-01T00:25:00Z"));
    close();
    api().get(report(PlatformStub.UTC_WS, "2025-08")).then().body("revision", is(1));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SLA_MISS"))));

    // Once Pacific Time's August is over (plus the grace), it closes too.
    clock.set(Instant.parse("2025-09-01T07:20:00Z"));
    close();
    api()
        .get(report(PlatformStub.PACIFIC_WS, "2025-08"))
        .then()
        .body("frozen", is(true))
        .body("periodStart", is("2025-08-01T07:00:00Z"))
        .body("unavailableMinutes", is(5))
        .body("targetMet", is(false));
  }

  @Test
  void beforeTheGraceHasPassedNothingCloses() {
    augustWithFiveFailedMinutes();
    clock.set(Instant.parse("2025-09-01T00:14:59Z"));
    close();
    api().get(report(PlatformStub.UTC_WS, "2025-08")).then().body("frozen", is(false));
    api().get(report(PlatformStub.UTC_WS, "2025-07")).then().body("frozen", is(true));
    platform.verify(0, postRequestedFor(urlEqualTo("/v1/notices")));
  }

  @Test
  void lateEvidenceChangesAFrozenMonthOnlyThroughACorrection() {
    augustWithFiveFailedMinutes();
    clock.set(Instant.parse("2025-09-01T00:20:00Z"));
    close();

    // Backfilled results for August (one more failed minute) after the close.
    clock.set(Instant.parse("2025-09-03T09:00:00Z"));
    failProbes("2025-08-20T12:00:00Z");
    api()
        .get(report(PlatformStub.NEW_WS, "2025-08"))
        .then()
        .body("frozen", is(true))
        .body("revision", is(1))
        .body("unavailableMinutes", is(4))
        .body("targetMet", is(true));

    // The frozen ledger says what the frozen report counted; the evidence columns are today's.
    api()
        .queryParam("from", "2025-08-20T12:00:00Z")
        .queryParam("to", "2025-08-20T12:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.NEW_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("verdict", contains("NO_DATA"))
        .body("[0].probesFailed", is(1));
    api()
        .queryParam("from", "2025-08-31T09:59:00Z")
        .queryParam("to", "2025-08-31T10:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.NEW_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("verdict", contains("NO_DATA", "EXCLUDED"))
        .body("[1].reason", is("CUSTOMER_CAUSED"));
    api()
        .queryParam("from", "2025-08-03T10:00:00Z")
        .queryParam("to", "2025-08-03T10:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.NEW_WS + "/minutes")
        .then()
        .body("[0].verdict", is("UNAVAILABLE"))
        .body("[0].reason", is("PROBES_FAILED"));

    // A correction without a reason is refused.
    api()
        .body("{}")
        .post(report(PlatformStub.NEW_WS, "2025-08") + "/corrections")
        .then()
        .statusCode(422)
        .body("code", is("reason_required"));
    api()
        .body("{\"reason\": \"   \"}")
        .post(report(PlatformStub.NEW_WS, "2025-08") + "/corrections")
        .then()
        .statusCode(422);

    // With a reason the month is recomputed: 5 of 44,639 now, the target is missed.
    api()
        .body("{\"reason\": \"backfilled results from the eu-west prober\"}")
        .post(report(PlatformStub.NEW_WS, "2025-08") + "/corrections")
        .then()
        .statusCode(200)
        .body("frozen", is(true))
        .body("revision", is(2))
        .body("unavailableMinutes", is(5))
        .body("eligibleMinutes", is(44_639))
        .body("availabilityPercent", is("99.988799"))
        .body("targetMet", is(false));
    api()
        .get(report(PlatformStub.NEW_WS, "2025-08"))
        .then()
        .body("revision", is(2))
        .body("unavailableMinutes", is(5))
        .body("frozenAt", is("2025-09-01T00:20:00Z"));
    api()
        .queryParam("from", "2025-08-20T12:00:00Z")
        .queryParam("to", "2025-08-20T12:01:00Z")
        .get("/v1/workspaces/" + PlatformStub.NEW_WS + "/minutes")
        .then()
        .body("verdict", contains("UNAVAILABLE"));

    // The corrected miss is notified at the next round.
    close();
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SLA_MISS")))
            .withRequestBody(
                matchingJsonPath("$.audience.workspaceIds[0]", equalTo(PlatformStub.NEW_WS))));

    // The current month is not frozen: nothing to correct.
    api()
        .body("{\"reason\": \"why not\"}")
        .post(report(PlatformStub.NEW_WS, "2025-09") + "/corrections")
        .then()
        .statusCode(409)
        .body("code", is("report_not_frozen"));
  }

  @Test
  void futureMonthsAndUnknownWorkspacesAreRefused() {
    clock.set(Instant.parse("2025-09-15T00:00:00Z"));
    api()
        .get(report(PlatformStub.UTC_WS, "2025-10"))
        .then()
        .statusCode(422)
        .body("code", is("month_not_started"));
    api().get(report(PlatformStub.UTC_WS, "2025-09")).then().statusCode(200);
    // NEW_WS was created on 2025-06-15: May has no report.
    api()
        .get(report(PlatformStub.NEW_WS, "2025-05"))
        .then()
        .statusCode(422)
        .body("code", is("month_before_workspace"));
    api().get(report(PlatformStub.NEW_WS, "2025-06")).then().statusCode(200);
    api().get(report("aaaaaaaa-0000-0000-0000-00000000ffff", "2025-08")).then().statusCode(404);
    api().get(report(PlatformStub.UTC_WS, "2025-8")).then().statusCode(400);
    given()
        .auth()
        .oauth2("test-service-token")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-08")
        .then()
        .statusCode(200)
        .body("frozen", is(false))
        .body("frozenAt", nullValue())
        .body("workspaceId", notNullValue());
  }

  /**
   * March 2025 in America/Los_Angeles: from 1 March 00:00 PST (08:00Z) to 1 April 00:00 PDT
   * (07:00Z); the clocks went forward on 9 March, so 31 × 1,440 - 60 = 44,580 minutes.
   */
  @Test
  void aDstMonthInAPacificContract() {
    clock.set(Instant.parse("2025-05-01T00:00:00Z"));
    close();
    api()
        .get(report(PlatformStub.PACIFIC_WS, "2025-03"))
        .then()
        .statusCode(200)
        .body("frozen", is(true))
        .body("timeZone", is("America/Los_Angeles"))
        .body("totalMinutes", is(44_580))
        .body("noDataMinutes", is(44_580))
        .body("periodStart", is("2025-03-01T08:00:00Z"))
        .body("periodEnd", is("2025-04-01T07:00:00Z"));
    // November 2025 falls back an hour: 30 × 1,440 + 60.
    clock.set(Instant.parse("2025-12-15T00:00:00Z"));
    api()
        .get(report(PlatformStub.PACIFIC_WS, "2025-11"))
        .then()
        .body("totalMinutes", is(43_260))
        .body("periodStart", is("2025-11-01T07:00:00Z"));
  }
}
