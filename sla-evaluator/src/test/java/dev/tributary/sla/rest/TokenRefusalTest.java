package dev.tributary.sla.rest;

import dev.tributary.sla.PlatformStub;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.TokenRefusals;
import dev.tributary.testsupport.TokenRefusals.Family;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * The token refusal matrix ({@link TokenRefusals}) on sla-evaluator: {@code /v1/**} and {@code
 * /internal/**} take the service token or the admin token, {@code /admin/**} (the status links)
 * only the admin token, and the guard answers before routing, so a path that does not exist is
 * refused the same way.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class TokenRefusalTest {

  static final String ADMIN = "test-admin-token";
  static final String SERVICE = "test-service-token";

  static void check(String method, String path, String body, Family family) {
    TokenRefusals.check(RestAssured.port, method, path, body, family, ADMIN, SERVICE);
  }

  @Test
  void workspaceReportsAndMinutes() {
    check(
        "GET", "/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-07", null, Family.SERVICE);
    check(
        "GET",
        "/v1/workspaces/"
            + PlatformStub.UTC_WS
            + "/minutes?from=2025-07-01T00:00:00Z&to=2025-07-01T00:05:00Z",
        null,
        Family.SERVICE);
  }

  @Test
  void evidenceWrites() {
    check(
        "POST",
        "/v1/probe-results",
        "[{\"at\": \"2025-07-10T08:00:05Z\", \"endpoint\": \"track\", \"ok\": true,"
            + " \"location\": \"x\"}]",
        Family.SERVICE);
  }

  @Test
  void internalAndAdminPaths() {
    check("GET", "/internal/v1/anything", null, Family.SERVICE);
    check("GET", "/admin/v1/anything", null, Family.ADMIN);
  }

  @Test
  void statusLinkRotation() {
    check(
        "POST",
        "/admin/v1/workspaces/" + PlatformStub.PACIFIC_WS + "/status-link",
        null,
        Family.ADMIN);
  }
}
