package dev.tributary.sla;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service boots, guards its API and answers a report for the current month. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class SmokeTest {

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
  }

  @Test
  void healthAndOpenApi() {
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    given().get("/q/openapi").then().statusCode(200);
  }

  @Test
  void theApiNeedsAToken() {
    given()
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-07")
        .then()
        .statusCode(401)
        .body("code", equalTo("unauthorized"));
  }

  @Test
  void aReportOfTheCurrentMonthWithoutEvidence() {
    clock.set(Instant.parse("2025-07-16T00:00:00Z"));
    given()
        .auth()
        .oauth2("test-service-token")
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-07")
        .then()
        .statusCode(200)
        .body("workspaceId", equalTo(PlatformStub.UTC_WS))
        .body("frozen", is(false))
        .body("totalMinutes", is(44_640))
        .body("noDataMinutes", is(15 * 1440))
        .body("pendingMinutes", is(16 * 1440))
        .body("targetMet", is(true));
  }
}
