package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL unreachable: the Tracking API answers 503 with Retry-After (the client retries; dedup
 * makes that safe), readiness goes DOWN and liveness stays UP.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(DatabaseDownTest.DatabaseDown.class)
class DatabaseDownTest {

  /** Points the service at a port where nothing listens and skips Flyway at start. */
  public static class DatabaseDown implements QuarkusTestProfile {
    static final String NOWHERE = "127.0.0.1:1/nothing";

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.reactive.url",
          "postgresql://" + NOWHERE,
          "quarkus.datasource.jdbc.url",
          "jdbc:postgresql://" + NOWHERE,
          "quarkus.flyway.migrate-at-start",
          "false",
          "quarkus.flyway.clean-at-start",
          "false");
    }
  }

  @Test
  void trackingIs503DatabaseUnavailableWithRetryAfter() {
    ExtractableResponse<Response> response =
        given()
            .contentType(ContentType.JSON)
            .header("Authorization", basic("any-write-key", true))
            .body(validEvent("track", "while-down"))
            .post("/v1/track")
            .then()
            .statusCode(503)
            .contentType(ContentType.JSON)
            .body("code", is("database_unavailable"))
            .body("message", notNullValue())
            .header("Retry-After", notNullValue())
            .extract();
    assertTrue(
        Long.parseLong(response.header("Retry-After")) >= 1,
        "Retry-After " + response.header("Retry-After"));
  }

  @Test
  void batchIs503Too() {
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", basic("another-key", false))
        .body(Map.of("batch", List.of(batchItem("track", "b-1"), batchItem("identify", "b-2"))))
        .post("/v1/batch")
        .then()
        .statusCode(503)
        .body("code", is("database_unavailable"))
        .header("Retry-After", notNullValue());
  }

  @Test
  void theShortPathsAndTheSettingsAre503TooNeverA4xxThatALibraryWouldDrop() {
    // Kotlin and C# delete a batch answered with a 4xx other than 429; a failed settings fetch
    // makes Kotlin fall back to Segment's own host.
    given()
        .contentType("text/plain")
        .body(
            "{\"writeKey\":\"mobile-key\",\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\"}]}")
        .post("/v1/b")
        .then()
        .statusCode(503)
        .body("code", is("database_unavailable"))
        .header("Retry-After", notNullValue());
    given()
        .get("/v1/projects/{key}/settings", "mobile-key")
        .then()
        .statusCode(503)
        .contentType(ContentType.JSON)
        .body("code", is("database_unavailable"))
        .header("Retry-After", notNullValue());
  }

  @Test
  void requestsThatNeedNoDatabaseAreStillAnsweredAsBefore() {
    // Checks that come before the key lookup do not turn into 503.
    given()
        .contentType(ContentType.JSON)
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(401)
        .body("code", is("missing_write_key"));
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", basic("k", true))
        .body("{not json")
        .post("/v1/track")
        .then()
        .statusCode(400)
        .body("code", is("invalid_json"));
  }

  @Test
  void readinessIsDown() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("status", is("DOWN"))
        .body("checks.find { it.name == 'database' }.status", is("DOWN"));
  }

  @Test
  void livenessStaysUp() {
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void theAdminApiFailsWithoutLeakingInternals() {
    String body =
        given()
            .header("Authorization", "Bearer test-admin-token")
            .get("/admin/v1/workspaces")
            .then()
            .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(500))
            .contentType("application/problem+json")
            .extract()
            .asString();
    assertTrue(!body.contains("Exception") && !body.contains("at io."), body);
  }
}
