package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.SecretScan;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database password stays secret when it is wrong: the server refuses every connection, and
 * neither the answers of the Tracking, settings, admin and health endpoints, nor {@code
 * /q/metrics}, nor the log show the password or the write key of the request that failed. (The test
 * cluster's own password, {@code tributary}, is also the user, schema prefix and metric prefix, so
 * a scan for it would find it everywhere; this test gives the service a password worth searching
 * for.)
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(DatabasePasswordSecrecyTest.WrongPassword.class)
class DatabasePasswordSecrecyTest {

  static final String PASSWORD = "db-password-4f1c9e2a7b";
  static final String WRITE_KEY = "write-key-in-flight-8c2d5e1f";

  /** A port where nothing listens, a distinctive password; Flyway off (it would fail the start). */
  public static class WrongPassword implements QuarkusTestProfile {
    static final String NOWHERE = "127.0.0.1:1/nothing";

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.datasource.password",
          PASSWORD,
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
  void thePasswordIsNeverShown() {
    Map<String, String> places = new LinkedHashMap<>();
    Response track =
        given()
            .contentType(ContentType.JSON)
            .header("Authorization", basic(WRITE_KEY, true))
            .body(validEvent("track", "while-refused"))
            .post("/v1/track");
    assertEquals(503, track.statusCode(), track.asString());
    places.put("the track answer", track.asString());
    places.put(
        "the settings answer", given().get("/v1/projects/{key}/settings", WRITE_KEY).asString());
    Response workspaces = admin().get("/admin/v1/workspaces");
    assertTrue(workspaces.statusCode() >= 500, "no workspaces without a database");
    places.put("the admin answer", workspaces.asString());
    Response ready = given().get("/q/health/ready");
    assertNotEquals(200, ready.statusCode(), "not ready without a database");
    places.put("/q/health/ready", ready.asString());
    places.put("/q/metrics", given().get("/q/metrics").then().statusCode(200).extract().asString());
    String log = SecretScan.testLog();
    assertTrue(
        log.contains("database unreachable on /admin/v1/workspaces"), "the failure is logged");
    places.put("the test log", log);

    SecretScan.assertAbsent(
        Map.of("the database password", PASSWORD, "the write key of a failed call", WRITE_KEY),
        places);
  }
}
