package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.ADMIN_TOKEN;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.SecretScan;
import dev.tributary.testsupport.TokenRefusals;
import dev.tributary.testsupport.TokenRefusals.Family;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Secrets never appear in logs, metrics or error bodies: with the admin and service tokens, active,
 * revoked and unknown write keys (raw and as Basic credentials) in play on every error path of the
 * Tracking, admin and internal APIs, none of them is in any error body, in {@code /q/metrics} or
 * {@code /q/health}, or in the test log file ({@link SecretScan}: everything this module's test JVM
 * logged up to this point, so the fixed tokens are checked for every test class that ran before).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SecretsStayHiddenTest {

  private static final Logger LOG = Logger.getLogger(SecretsStayHiddenTest.class);

  @Test
  void noSecretInLogsMetricsOrErrorBodies() {
    TestSource source = newSource();
    TestSource revoked = newSource();
    admin().delete("/admin/v1/sources/{id}", revoked.sourceId()).then().statusCode(200);
    String unknown = "unknown-" + UUID.randomUUID();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the admin token", ADMIN_TOKEN);
    secrets.put("the service token", SERVICE_TOKEN);
    secrets.put("a write key", source.writeKey());
    secrets.put("a write key as Basic credentials", basic(source.writeKey(), true).substring(6));
    secrets.put("a revoked write key", revoked.writeKey());
    secrets.put("an unknown write key", unknown);
    secrets.put("an unknown write key as Basic credentials", basic(unknown, false).substring(6));

    List<String> errorBodies = new ArrayList<>();
    errorBodies.addAll(
        TokenRefusals.check(
            RestAssured.port,
            "GET",
            "/admin/v1/workspaces/" + source.workspaceId(),
            null,
            Family.ADMIN,
            ADMIN_TOKEN,
            SERVICE_TOKEN));
    errorBodies.addAll(
        TokenRefusals.check(
            RestAssured.port,
            "GET",
            "/internal/v1/workspaces/" + source.workspaceId(),
            null,
            Family.SERVICE,
            ADMIN_TOKEN,
            SERVICE_TOKEN));

    // The Tracking API's error paths with a key in play.
    errorBodies.add(
        expect(401, tracking(unknown).body(validEvent("track", null)).post("/v1/track")));
    errorBodies.add(
        expect(
            401, tracking(revoked.writeKey()).body(validEvent("track", null)).post("/v1/track")));
    Map<String, Object> bodyKey = validEvent("track", null);
    bodyKey.put("writeKey", unknown);
    errorBodies.add(
        expect(401, given().contentType(ContentType.JSON).body(bodyKey).post("/v1/batch")));
    errorBodies.add(
        expect(
            400,
            tracking(source.writeKey())
                .body("{\"writeKey\":\"" + source.writeKey() + "\", not json")
                .post("/v1/track")));
    Map<String, Object> invalid = validEvent("track", null);
    invalid.remove("userId");
    invalid.put("writeKey", source.writeKey());
    errorBodies.add(
        expect(400, given().contentType(ContentType.JSON).body(invalid).post("/v1/track")));
    Map<String, Object> badItem = batchItem("track", "bad-item");
    badItem.remove("event");
    badItem.put("writeKey", source.writeKey());
    errorBodies.add(
        expect(
            200,
            tracking(source.writeKey())
                .body(Map.of("batch", List.of(badItem, batchItem("track", "good-item"))))
                .post("/v1/batch")));
    errorBodies.add(
        expect(
            413,
            given()
                .contentType(ContentType.JSON)
                .body(
                    "{\"writeKey\":\""
                        + source.writeKey()
                        + "\",\"userId\":\"u\",\"event\":\""
                        + "x".repeat(600_000)
                        + "\"}")
                .post("/v1/track")));
    errorBodies.add(
        expect(
            415,
            tracking(source.writeKey())
                .header("Content-Encoding", "br")
                .body(validEvent("track", null))
                .post("/v1/track")));
    errorBodies.add(expect(404, given().get("/v1/projects/{key}/settings", unknown)));
    errorBodies.add(expect(404, given().get("/v1/projects/{key}/settings", revoked.writeKey())));
    // Answered, but with the key's own settings: not an error body, and not logged either.
    given().get("/v1/projects/{key}/settings", source.writeKey()).then().statusCode(200);

    // The account and internal APIs' error paths, with the right tokens.
    errorBodies.add(
        expect(404, admin().get("/admin/v1/workspaces/{id}", UUID.randomUUID().toString())));
    errorBodies.add(
        expect(
            400,
            admin().contentType(ContentType.JSON).body("{\"name\":").post("/admin/v1/workspaces")));
    errorBodies.add(
        expect(
            400,
            given()
                .header("Authorization", "Bearer " + SERVICE_TOKEN)
                .queryParam("limit", "0")
                .get("/internal/v1/workspaces")));
    errorBodies.add(
        expect(
            401,
            given()
                .header("Authorization", basic(source.writeKey(), true))
                .get("/admin/v1/workspaces")));

    String marker = "secret-scan marker " + UUID.randomUUID();
    LOG.info(marker);
    String log = SecretScan.testLog();
    assertTrue(log.contains(marker), "the log file receives this JVM's log");
    assertTrue(log.contains("Installed features"), "the log file holds the service's own lines");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(metrics.contains("http_server_requests"), "the metrics are the service's");
    String health = given().get("/q/health").then().extract().asString();

    Map<String, String> places = new LinkedHashMap<>();
    places.put("the test log", log);
    places.put("/q/metrics", metrics);
    places.put("/q/health", health);
    for (int i = 0; i < errorBodies.size(); i++) {
      places.put("error body " + i, errorBodies.get(i));
    }
    SecretScan.assertAbsent(secrets, places);
  }

  static String expect(int status, Response response) {
    assertEquals(status, response.statusCode(), response.asString());
    return response.asString();
  }
}
