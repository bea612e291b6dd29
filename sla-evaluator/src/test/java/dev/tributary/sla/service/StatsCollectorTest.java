package dev.tributary.sla.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.Tables;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request statistics copied from ingestion-api (faked by WireMock) and the SLA §1 error-rate rule
 * they feed: at least 20 valid requests (throttled and 4xx do not count) of which at least 5%
 * failed with 5xx.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class StatsCollectorTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final Instant NOW = Instant.parse("2025-07-15T10:30:00Z");

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject StatsCollector collector;
  @Inject Pool pool;

  record Stored(
      String workspace,
      Instant minute,
      long requests,
      long rejected,
      long throttled,
      long failed) {}

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
    clock.set(NOW);
  }

  @Test
  void collectsTheRowsAndAppliesTheErrorRateRule() {
    stats(
        row(PlatformStub.UTC_WS, "2025-07-15T10:00:00Z", 40, 0, 20, 1),
        row(PlatformStub.UTC_WS, "2025-07-15T10:01:00Z", 19, 0, 0, 5),
        row(PlatformStub.NEW_WS, "2025-07-15T10:00:00Z", 100, 0, 0, 50));

    int copied = collector.collectOnce().await().atMost(WAIT);

    assertEquals(3, copied);
    // First collection: 31 days back, up to the end of the current minute.
    platform.verify(
        1,
        getRequestedFor(urlPathEqualTo("/internal/v1/request-stats"))
            .withQueryParam("from", WireMock.equalTo("2025-06-14T10:30:00Z"))
            .withQueryParam("to", WireMock.equalTo("2025-07-15T10:31:00Z")));
    List<Stored> stored = stored();
    // Ordered by workspace id, then minute.
    assertEquals(
        List.of(
            new Stored(PlatformStub.UTC_WS, Instant.parse("2025-07-15T10:00:00Z"), 40, 0, 20, 1),
            new Stored(PlatformStub.UTC_WS, Instant.parse("2025-07-15T10:01:00Z"), 19, 0, 0, 5),
            new Stored(PlatformStub.NEW_WS, Instant.parse("2025-07-15T10:00:00Z"), 100, 0, 0, 50)),
        stored);

    clock.set(Instant.parse("2025-07-16T00:00:00Z"));
    // 10:00: 40 requests - 20 throttled = 20 valid, 1 failed: 1 * 100 >= 5 * 20 -> unavailable.
    // 10:01: 19 valid (< 20), 5 failed: the rule does not apply; the minute has data -> available.
    // 10:02: nothing measured -> no data.
    minutes(PlatformStub.UTC_WS, "2025-07-15T10:00:00Z", "2025-07-15T10:03:00Z")
        .body("$", hasSize(3))
        .body("[0].verdict", equalTo("UNAVAILABLE"))
        .body("[0].reason", equalTo("ERROR_RATE"))
        .body("[0].requests", is(40))
        .body("[0].validRequests", is(20))
        .body("[0].failed5xx", is(1))
        .body("[1].verdict", equalTo("AVAILABLE"))
        .body("[1].reason", nullValue())
        .body("[1].validRequests", is(19))
        .body("[2].verdict", equalTo("NO_DATA"))
        .body("[2].reason", equalTo("NO_DATA"));
    // Statistics are per workspace: PACIFIC_WS has none, so its 10:00 is no data.
    minutes(PlatformStub.PACIFIC_WS, "2025-07-15T10:00:00Z", "2025-07-15T10:01:00Z")
        .body("[0].verdict", equalTo("NO_DATA"));
  }

  @Test
  void throttledAndClientErrorsNeverCountAgainstAvailability() {
    // 100 requests, 60 rejected with 4xx and 25 throttled: 15 valid (< 20) -> not judged by
    // error rate even though 5 of them (33%) failed; the minute is available.
    stats(row(PlatformStub.UTC_WS, "2025-07-15T10:00:00Z", 100, 60, 25, 5));

    collector.collectOnce().await().atMost(WAIT);

    clock.set(Instant.parse("2025-07-16T00:00:00Z"));
    minutes(PlatformStub.UTC_WS, "2025-07-15T10:00:00Z", "2025-07-15T10:01:00Z")
        .body("[0].verdict", equalTo("AVAILABLE"))
        .body("[0].validRequests", is(15));
  }

  @Test
  void largerCountsReplaceSmallerOnesAndNeverTheOtherWayRound() {
    stats(row(PlatformStub.UTC_WS, "2025-07-15T10:20:00Z", 30, 0, 0, 1));
    collector.collectOnce().await().atMost(WAIT);
    // 30 valid, 1 failed: 100 < 150 -> available.
    clock.set(Instant.parse("2025-07-15T10:40:00Z"));
    minutes(PlatformStub.UTC_WS, "2025-07-15T10:20:00Z", "2025-07-15T10:21:00Z")
        .body("[0].verdict", equalTo("AVAILABLE"));

    // A later answer has grown: 40 requests, 2 failed (200 >= 200 -> unavailable).
    stats(row(PlatformStub.UTC_WS, "2025-07-15T10:20:00Z", 40, 0, 0, 2));
    platform.resetRequests();
    collector.collectOnce().await().atMost(WAIT);
    // The second round goes on from the latest copied minute, 10:20 (earlier than the ten
    // minutes it always re-reads, from 10:30).
    platform.verify(
        1,
        getRequestedFor(urlPathEqualTo("/internal/v1/request-stats"))
            .withQueryParam("from", WireMock.equalTo("2025-07-15T10:20:00Z"))
            .withQueryParam("to", WireMock.equalTo("2025-07-15T10:41:00Z")));
    assertEquals(
        List.of(
            new Stored(PlatformStub.UTC_WS, Instant.parse("2025-07-15T10:20:00Z"), 40, 0, 0, 2)),
        stored());
    minutes(PlatformStub.UTC_WS, "2025-07-15T10:20:00Z", "2025-07-15T10:21:00Z")
        .body("[0].verdict", equalTo("UNAVAILABLE"))
        .body("[0].reason", equalTo("ERROR_RATE"));

    // A partial, smaller answer (another replica's flush only) never lowers the copy.
    stats(row(PlatformStub.UTC_WS, "2025-07-15T10:20:00Z", 10, 0, 0, 0));
    collector.collectOnce().await().atMost(WAIT);
    assertEquals(
        List.of(
            new Stored(PlatformStub.UTC_WS, Instant.parse("2025-07-15T10:20:00Z"), 40, 0, 0, 2)),
        stored());
    minutes(PlatformStub.UTC_WS, "2025-07-15T10:20:00Z", "2025-07-15T10:21:00Z")
        .body("[0].verdict", equalTo("UNAVAILABLE"));
  }

  private void stats(String... rows) {
    platform.stubFor(
        get(urlPathEqualTo("/internal/v1/request-stats"))
            .atPriority(1)
            .withHeader("Authorization", WireMock.equalTo(PlatformStub.SERVICE_BEARER))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("[" + String.join(",", rows) + "]")));
  }

  /** One row as ingestion-api answers it, with the fields the evaluator ignores. */
  private static String row(
      String workspace,
      String minute,
      long requests,
      long rejected4xx,
      long throttled429,
      long failed5xx) {
    long accepted = requests - rejected4xx - throttled429 - failed5xx;
    return """
        {"workspaceId": "%s", "minute": "%s", "requests": %d, "eventsAccepted": %d,
         "eventsRejected": 0, "rejected4xx": %d, "throttled429": %d, "failed5xx": %d,
         "latencyP50Ms": 12, "latencyP99Ms": 80, "latencyMaxMs": 120}
        """
        .formatted(workspace, minute, requests, accepted, rejected4xx, throttled429, failed5xx);
  }

  private io.restassured.response.ValidatableResponse minutes(
      String workspace, String from, String to) {
    return given()
        .auth()
        .oauth2("test-service-token")
        .queryParam("from", from)
        .queryParam("to", to)
        .get("/v1/workspaces/" + workspace + "/minutes")
        .then()
        .statusCode(200);
  }

  private List<Stored> stored() {
    List<Stored> rows = new ArrayList<>();
    for (Row row :
        pool.query(
                "select workspace_id, minute, requests, rejected_4xx, throttled_429, failed_5xx"
                    + " from sla.request_stats order by workspace_id, minute")
            .execute()
            .await()
            .atMost(WAIT)) {
      rows.add(
          new Stored(
              row.getUUID("workspace_id").toString(),
              row.getOffsetDateTime("minute").toInstant(),
              row.getLong("requests"),
              row.getLong("rejected_4xx"),
              row.getLong("throttled_429"),
              row.getLong("failed_5xx")));
    }
    return rows;
  }
}
