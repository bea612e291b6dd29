package dev.tributary.sla.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
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
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workspace's SLA answers are its own: one workspace's request statistics make only its own
 * minutes unavailable, in its report and its ledger; every workspace path needs a token, and
 * without one the answer is the same whether the workspace exists or not.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class WorkspaceIsolationTest {

  static final Instant FAILING_MINUTE = Instant.parse("2025-07-03T10:00:00Z");

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
    clock.set(Instant.parse("2025-07-16T00:00:00Z"));
  }

  @Test
  void oneWorkspacesFailuresStayInItsOwnReportAndLedger() {
    // UTC_WS: half of its requests failed with 5xx in one minute (an error-rate minute).
    pool.preparedQuery(
            "insert into sla.request_stats (workspace_id, minute, requests, rejected_4xx,"
                + " throttled_429, failed_5xx, collected_at) values ($1, $2, 20, 0, 0, 10, $2)")
        .execute(
            Tuple.of(UUID.fromString(PlatformStub.UTC_WS), FAILING_MINUTE.atOffset(ZoneOffset.UTC)))
        .await()
        .atMost(Duration.ofSeconds(30));

    report(PlatformStub.UTC_WS)
        .body("workspaceId", equalTo(PlatformStub.UTC_WS))
        .body("unavailableMinutes", is(1))
        .body("unavailable[0].reason", equalTo("ERROR_RATE"));
    for (String other : List.of(PlatformStub.NEW_WS, PlatformStub.PACIFIC_WS)) {
      report(other)
          .body("workspaceId", equalTo(other))
          .body("unavailableMinutes", is(0))
          .body("unavailable", empty());
      given()
          .auth()
          .oauth2("test-service-token")
          .queryParam("from", FAILING_MINUTE.toString())
          .queryParam("to", FAILING_MINUTE.plusSeconds(60).toString())
          .get("/v1/workspaces/" + other + "/minutes")
          .then()
          .statusCode(200)
          .body("verdict", everyItem(not(equalTo("UNAVAILABLE"))));
    }
  }

  @Test
  void withoutATokenNoWorkspacePathTellsWhetherTheWorkspaceExists() {
    String unknown = UUID.randomUUID().toString();
    for (String suffix :
        List.of(
            "/reports/2025-07",
            "/minutes?from=2025-07-01T00:00:00Z&to=2025-07-01T00:01:00Z",
            "/termination-right",
            "/order-form")) {
      for (String authorization : List.of("", "Bearer wrong-token", "Basic dGVzdDo=")) {
        Response known = request(authorization, PlatformStub.UTC_WS + suffix);
        Response missing = request(authorization, unknown + suffix);
        assertEquals(401, known.statusCode(), suffix);
        assertEquals(known.statusCode(), missing.statusCode(), suffix);
        assertEquals(known.contentType(), missing.contentType(), suffix);
        assertEquals(known.asString(), missing.asString(), suffix);
      }
    }
  }

  static Response request(String authorization, String workspacePath) {
    var request = given();
    if (!authorization.isEmpty()) {
      request.header("Authorization", authorization);
    }
    return request.get("/v1/workspaces/" + workspacePath);
  }

  static io.restassured.response.ValidatableResponse report(String workspace) {
    return given()
        .auth()
        .oauth2("test-service-token")
        .get("/v1/workspaces/" + workspace + "/reports/2025-07")
        .then()
        .statusCode(200);
  }
}
