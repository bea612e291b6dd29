package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.ADMIN_TOKEN;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.ingestion.Accounts;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.TokenRefusals;
import dev.tributary.testsupport.TokenRefusals.Family;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The token refusal matrix ({@link TokenRefusals}) on a read and a write of each protected family
 * of ingestion-api: {@code /admin/**} takes the admin token only, {@code /internal/**} the service
 * token or the admin token; the refusals change nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TokenRefusalTest {

  static void check(String method, String path, String body, Family family) {
    TokenRefusals.check(RestAssured.port, method, path, body, family, ADMIN_TOKEN, SERVICE_TOKEN);
  }

  @Test
  void adminReads() {
    check("GET", "/admin/v1/workspaces", null, Family.ADMIN);
    check("GET", "/admin/v1/workspaces/" + Accounts.createWorkspace(), null, Family.ADMIN);
  }

  @Test
  void adminWritesAndARefusedOneCreatesNothing() {
    String name = "refusal-" + UUID.randomUUID();
    String body =
        "{\"name\":\"" + name + "\",\"contacts\":[{\"name\":\"L\",\"email\":\"l@example.com\"}]}";
    check("POST", "/admin/v1/workspaces", body, Family.ADMIN);
    // Only the accepted presentations created one: the right token, trailing space and tab,
    // lower-case scheme.
    long created =
        Accounts.admin().get("/admin/v1/workspaces").jsonPath().getList("name").stream()
            .filter(name::equals)
            .count();
    assertEquals(4, created);
  }

  @Test
  void internalReads() {
    check("GET", "/internal/v1/workspaces?limit=1", null, Family.SERVICE);
    String to = Instant.now().toString();
    String from = Instant.now().minusSeconds(3600).toString();
    check("GET", "/internal/v1/request-stats?from=" + from + "&to=" + to, null, Family.SERVICE);
  }

  @Test
  void internalWrites() {
    check(
        "PUT",
        "/internal/v1/probe-sources/refusal-test",
        "{\"writeKey\":\"refusal-test-probe-key-" + UUID.randomUUID() + "\"}",
        Family.SERVICE);
  }
}
