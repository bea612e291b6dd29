package dev.tributary.sla.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
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
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The measurement never goes blind quietly: minutes the prober did not run are recorded as probe
 * gaps with their cause (counted, and "no data" in the ledger, never availability), and rounds
 * PostgreSQL would not take are kept and stored with the next one.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class ProbeGapTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject Prober prober;
  @Inject Pool pool;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
  }

  @Test
  void minutesWithoutARoundAreRecordedAsAGapWithItsCause() {
    clock.set(Instant.parse("2025-07-15T10:00:10Z"));
    prober.probeOnce();
    double stalledBefore =
        ProberTest.metric("tributary_sla_probe_gap_minutes_total", "reason=\"stalled\"");
    // The next round runs at 10:05: the process stalled for four minutes. Another location's
    // probe covered 10:03; nothing covered 10:01, 10:02 and 10:04.
    clock.set(Instant.parse("2025-07-15T10:05:10Z"));
    given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(
            """
            [{"at": "2025-07-15T10:03:05Z", "endpoint": "track", "ok": true, "location": "eu"}]
            """)
        .post("/v1/probe-results")
        .then()
        .statusCode(202);

    prober.probeOnce();

    assertEquals(
        stalledBefore + 3,
        ProberTest.metric("tributary_sla_probe_gap_minutes_total", "reason=\"stalled\""));
    assertEquals(2L, count("select count(*) as n from sla.probe_gaps"));
    clock.set(Instant.parse("2025-07-15T10:20:00Z"));
    given()
        .auth()
        .oauth2("test-service-token")
        .queryParam("from", "2025-07-15T10:00:00Z")
        .queryParam("to", "2025-07-15T10:06:00Z")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("[0].verdict", is("AVAILABLE"))
        .body("[1].verdict", is("NO_DATA"))
        .body("[1].detail", containsString(Prober.STALLED))
        .body("[2].verdict", is("NO_DATA"))
        .body("[3].verdict", is("AVAILABLE"))
        .body("[4].verdict", is("NO_DATA"))
        .body("[4].detail", containsString(Prober.STALLED))
        .body("[5].verdict", is("AVAILABLE"));
  }

  @Test
  void theMinutesBeforeARestartAreAGapOfAnEvaluatorThatWasNotRunning() {
    clock.set(Instant.parse("2025-07-17T10:00:10Z"));
    prober.probeOnce();
    sql("truncate sla.probe_gaps"); // whatever the rounds of other tests left behind
    double notRunningBefore =
        ProberTest.metric("tributary_sla_probe_gap_minutes_total", "reason=\"not_running\"");
    // The process dies after the 10:00 round and starts again at 10:03.
    prober.forgetLastRound();
    clock.set(Instant.parse("2025-07-17T10:03:10Z"));
    prober.probeOnce();

    assertEquals(
        notRunningBefore + 2,
        ProberTest.metric("tributary_sla_probe_gap_minutes_total", "reason=\"not_running\""));
    assertEquals(1L, count("select count(*) as n from sla.probe_gaps"));
    clock.set(Instant.parse("2025-07-17T10:20:00Z"));
    given()
        .auth()
        .oauth2("test-service-token")
        .queryParam("from", "2025-07-17T10:00:00Z")
        .queryParam("to", "2025-07-17T10:04:00Z")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("[0].verdict", is("AVAILABLE"))
        .body("[1].verdict", is("NO_DATA"))
        .body("[1].detail", containsString(Prober.NOT_RUNNING))
        .body("[2].verdict", is("NO_DATA"))
        .body("[2].detail", containsString(Prober.NOT_RUNNING))
        .body("[3].verdict", is("AVAILABLE"));
  }

  @Test
  void aRoundPostgresRefusedIsStoredWithTheNext() {
    clock.set(Instant.parse("2025-07-16T10:00:10Z"));
    prober.probeOnce(); // the probe source is registered; this round is stored
    sql("truncate sla.probe_gaps"); // whatever the rounds of other tests left behind
    sql(
        """
        create function sla.refuse_probes() returns trigger language plpgsql as $$
        begin raise exception 'PostgreSQL is unavailable'; end $$;
        create trigger refuse_probes before insert on sla.probe_results
          for each statement execute function sla.refuse_probes();
        """);
    try {
      clock.set(Instant.parse("2025-07-16T10:01:10Z"));
      prober.probeOnce();
      assertEquals(1.0, ProberTest.metric("tributary_sla_probe_unstored_rounds"));
    } finally {
      sql("drop trigger refuse_probes on sla.probe_results; drop function sla.refuse_probes();");
    }
    clock.set(Instant.parse("2025-07-16T10:02:10Z"));
    prober.probeOnce();

    assertEquals(0.0, ProberTest.metric("tributary_sla_probe_unstored_rounds"));
    for (String minute : new String[] {"10:00", "10:01", "10:02"}) {
      assertEquals(
          6L,
          count(
              "select count(*) as n from sla.probe_results where minute = '2025-07-16T"
                  + minute
                  + ":00Z'"),
          "the six endpoints' results of " + minute);
    }
    assertEquals(0L, count("select count(*) as n from sla.probe_gaps"));
    assertEquals(
        Instant.parse("2025-07-16T10:02:00Z").getEpochSecond(),
        ProberTest.metric("tributary_sla_probe_last_recorded_seconds"),
        0.5);
  }

  private long count(String query) {
    return pool.query(query).execute().await().atMost(WAIT).iterator().next().getLong("n");
  }

  private void sql(String statements) {
    pool.query(statements).execute().await().atMost(WAIT);
  }
}
