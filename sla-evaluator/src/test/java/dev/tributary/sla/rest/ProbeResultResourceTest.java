package dev.tributary.sla.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** External probers' results: accepted for past minutes, validated as a whole batch. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class ProbeResultResourceTest {

  static final Instant NOW = Instant.parse("2025-07-16T00:00:00Z");

  /** A valid result, to show a bad one next to it refuses the whole batch. */
  static final String GOOD =
      """
      {"at": "2025-07-10T08:00:05Z", "endpoint": "identify", "ok": true, "latencyMs": 40,
       "location": "eu-west-1"}
      """;

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject Pool pool;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
    clock.set(NOW);
  }

  @Test
  void backfilledResultsCountInTheirMinute() {
    // 08:00: both track results failed (one location retried) -> unavailable; identify ok.
    // 08:01: track failed in one location, succeeded in another -> available.
    post("""
            [{"at": "2025-07-10T08:00:10Z", "endpoint": "track", "ok": false, "latencyMs": 5000,
              "location": "eu-west-1"},
             {"at": "2025-07-10T08:00:40Z", "endpoint": "track", "ok": false,
              "location": "us-east-1"},
             %s,
             {"at": "2025-07-10T08:01:10Z", "endpoint": "track", "ok": false,
              "location": "eu-west-1"},
             {"at": "2025-07-10T08:01:20Z", "endpoint": "track", "ok": true, "latencyMs": 30,
              "location": "us-east-1"}]
            """
            .formatted(GOOD))
        .statusCode(202)
        .body("accepted", is(5));

    assertEquals(5, storedCount());
    given()
        .auth()
        .oauth2("test-service-token")
        .queryParam("from", "2025-07-10T08:00:00Z")
        .queryParam("to", "2025-07-10T08:03:00Z")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/minutes")
        .then()
        .statusCode(200)
        .body("$", hasSize(3))
        .body("[0].verdict", equalTo("UNAVAILABLE"))
        .body("[0].reason", equalTo("PROBES_FAILED"))
        .body("[0].detail", equalTo("every probe of track failed"))
        .body("[0].probesFailed", is(2))
        .body("[0].probesOk", is(1))
        .body("[1].verdict", equalTo("AVAILABLE"))
        .body("[2].verdict", equalTo("NO_DATA"));
    given()
        .auth()
        .oauth2("test-service-token")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-07")
        .then()
        .statusCode(200)
        .body("unavailableMinutes", is(1))
        .body("unavailable[0].minute", equalTo("2025-07-10T08:00:00Z"));
  }

  @Test
  void aResultSlightlyAheadOfTheClockIsAccepted() {
    // Up to a minute of clock skew is tolerated.
    post("""
            [{"at": "2025-07-16T00:00:50Z", "endpoint": "page", "ok": true,
              "location": "ap-south-1"}]
            """)
        .statusCode(202)
        .body("accepted", is(1));
    assertEquals(1, storedCount());
  }

  static Stream<Arguments> badBatches() {
    return Stream.of(
        Arguments.of(
            "unknown endpoint",
            "["
                + GOOD
                + ", {\"at\": \"2025-07-10T08:00:00Z\", \"endpoint\": \"batch\","
                + " \"ok\": true, \"location\": \"x\"}]",
            422,
            "unknown_endpoint"),
        Arguments.of(
            "missing at",
            "[" + GOOD + ", {\"endpoint\": \"track\", \"ok\": true, \"location\": \"x\"}]",
            422,
            "missing_field"),
        Arguments.of(
            "missing ok",
            "["
                + GOOD
                + ", {\"at\": \"2025-07-10T08:00:00Z\", \"endpoint\": \"track\","
                + " \"location\": \"x\"}]",
            422,
            "missing_field"),
        Arguments.of(
            "missing location",
            "["
                + GOOD
                + ", {\"at\": \"2025-07-10T08:00:00Z\", \"endpoint\": \"track\","
                + " \"ok\": false}]",
            422,
            "missing_field"),
        Arguments.of(
            "blank location",
            "["
                + GOOD
                + ", {\"at\": \"2025-07-10T08:00:00Z\", \"endpoint\": \"track\","
                + " \"ok\": false, \"location\": \"  \"}]",
            422,
            "missing_field"),
        Arguments.of(
            "future at (more than a minute ahead)",
            "["
                + GOOD
                + ", {\"at\": \"2025-07-16T00:01:01Z\", \"endpoint\": \"track\","
                + " \"ok\": false, \"location\": \"x\"}]",
            422,
            "result_in_future"),
        Arguments.of(
            "negative latency",
            "["
                + GOOD
                + ", {\"at\": \"2025-07-10T08:00:00Z\", \"endpoint\": \"track\","
                + " \"ok\": false, \"latencyMs\": -1, \"location\": \"x\"}]",
            422,
            "invalid_latency"),
        Arguments.of("empty array", "[]", 422, "empty_batch"),
        Arguments.of("not an array", GOOD, 400, "bad_request"),
        Arguments.of(
            "at not an instant",
            "["
                + GOOD
                + ", {\"at\": \"yesterday\", \"endpoint\": \"track\","
                + " \"ok\": false, \"location\": \"x\"}]",
            400,
            "bad_request"),
        Arguments.of("not JSON", "at=2025-07-10", 400, "bad_request"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBatches")
  void aBadBatchIsRefusedAndNothingOfItIsStored(String name, String body, int status, String code) {
    post(body).statusCode(status).body("code", equalTo(code));
    assertEquals(0, storedCount());
  }

  @Test
  void theServiceTokenIsRequired() {
    given()
        .contentType(ContentType.JSON)
        .body("[" + GOOD + "]")
        .post("/v1/probe-results")
        .then()
        .statusCode(401);
    assertEquals(0, storedCount());
  }

  private io.restassured.response.ValidatableResponse post(String body) {
    return given()
        .auth()
        .oauth2("test-service-token")
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/probe-results")
        .then();
  }

  private long storedCount() {
    return pool.query("select count(*) as n from sla.probe_results")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(30))
        .iterator()
        .next()
        .getLong("n");
  }
}
