package dev.tributary.notice.rest;

import static dev.tributary.notice.Notices.ADMIN_TOKEN;
import static dev.tributary.notice.Notices.SERVICE_TOKEN;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.TokenRefusals;
import dev.tributary.testsupport.TokenRefusals.Family;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * The token refusal matrix ({@link TokenRefusals}) on notice-service: {@code /v1/**} and {@code
 * /internal/**} take the service token or the admin token, {@code /admin/**} (no endpoint yet) only
 * the admin token; the guard answers before routing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class TokenRefusalTest {

  static void check(String method, String path, String body, Family family) {
    TokenRefusals.check(RestAssured.port, method, path, body, family, ADMIN_TOKEN, SERVICE_TOKEN);
  }

  @Test
  void workspaceNoticesAndDeliveries() {
    check("GET", "/v1/workspaces/" + IngestionApiStub.ACME + "/notices", null, Family.SERVICE);
    check("GET", "/v1/workspaces/" + IngestionApiStub.ACME + "/deliveries", null, Family.SERVICE);
    check("GET", "/v1/terms", null, Family.SERVICE);
  }

  @Test
  void noticeCreationRefusedBeforeTheBodyIsRead() {
    // An invalid body: the accepted presentations get its 400, the refused ones their 401 first.
    check("POST", "/v1/notices", "{\"kind\": \"GENERAL\"}", Family.SERVICE);
  }

  @Test
  void internalAndAdminPaths() {
    check("GET", "/internal/v1/anything", null, Family.SERVICE);
    check("GET", "/admin/v1/anything", null, Family.ADMIN);
  }
}
