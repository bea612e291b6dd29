package dev.tributary.sla.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.Tables;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.SecretScan;
import dev.tributary.testsupport.TokenRefusals;
import dev.tributary.testsupport.TokenRefusals.Family;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets never appear in sla-evaluator's logs, metrics or error bodies: the admin and service
 * tokens and the probe source's write key (derived from the service token) stay hidden while tokens
 * are refused, requests are malformed and ingestion-api fails the prober in every way, including
 * answers that echo the credentials back. The log scanned is the whole test log file ({@link
 * SecretScan}), so the fixed tokens are checked for every test class that ran before.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class SecretsStayHiddenTest {

  private static final Logger LOG = Logger.getLogger(SecretsStayHiddenTest.class);

  static final String ADMIN = "test-admin-token";
  static final String SERVICE = "test-service-token";
  static final String WRITE_KEY = ProbeKeys.writeKey(SERVICE, "sla-evaluator");

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject Prober prober;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
    clock.set(Instant.parse("2025-07-15T10:00:00Z"));
  }

  @Test
  void noSecretInLogsMetricsOrErrorBodies() {
    String basic =
        Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the admin token", ADMIN);
    secrets.put("the service token", SERVICE);
    secrets.put("the probe write key", WRITE_KEY);
    secrets.put("the probe write key as Basic credentials", basic);

    List<String> errorBodies = new ArrayList<>();
    String report = "/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-07";
    errorBodies.addAll(
        TokenRefusals.check(RestAssured.port, "GET", report, null, Family.SERVICE, ADMIN, SERVICE));
    errorBodies.addAll(
        TokenRefusals.check(
            RestAssured.port, "GET", "/admin/v1/x", null, Family.ADMIN, ADMIN, SERVICE));
    errorBodies.add(
        expect(
            400,
            given()
                .auth()
                .oauth2(SERVICE)
                .contentType(ContentType.JSON)
                .body("{\"reason\": \"" + SERVICE + "\", ")
                .post("/v1/exclusions")));
    errorBodies.add(
        expect(
            400,
            given()
                .auth()
                .oauth2(ADMIN)
                .contentType(ContentType.JSON)
                .body("[{\"at\": " + ADMIN + "}]")
                .post("/v1/probe-results")));
    errorBodies.add(
        expect(
            400,
            given()
                .auth()
                .oauth2(SERVICE)
                .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/" + SERVICE)));
    errorBodies.add(
        expect(404, given().auth().oauth2(SERVICE).get("/v1/exclusions/" + UUID.randomUUID())));

    // The prober against an ingestion-api that refuses the probe source, then one that answers
    // every call with 500 and a body echoing the credentials, then one that resets connections.
    String echo = "{\"echo\": \"Basic " + basic + " Bearer " + SERVICE + " " + WRITE_KEY + "\"}";
    platform.stubFor(
        post(urlPathMatching("/v1/(identify|track|page|screen|group|alias)"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(401).withBody(echo)));
    prober.probeOnce();
    platform.stubFor(
        put(urlPathMatching("/internal/v1/probe-sources/.*"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(500).withBody(echo)));
    prober.probeOnce();
    PlatformStub.reset(platform);
    platform.stubFor(
        post(urlPathMatching("/v1/(identify|track|page|screen|group|alias)"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(500).withBody(echo)));
    prober.probeOnce();
    clock.set(Instant.parse("2025-07-15T10:05:00Z"));
    String minutes =
        given()
            .auth()
            .oauth2(SERVICE)
            .queryParam("from", "2025-07-15T10:00:00Z")
            .queryParam("to", "2025-07-15T10:01:00Z")
            .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/minutes")
            .then()
            .statusCode(200)
            .extract()
            .asString();

    String marker = "secret-scan marker " + UUID.randomUUID();
    LOG.info(marker);
    String log = SecretScan.testLog();
    assertTrue(log.contains(marker), "the log file receives this JVM's log");
    assertTrue(log.contains("probe"), "the prober's failures are in the log");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(metrics.contains("tributary_sla_probe"), "the metrics are the service's");

    Map<String, String> places = new LinkedHashMap<>();
    places.put("the test log", log);
    places.put("/q/metrics", metrics);
    places.put("/q/health", given().get("/q/health").asString());
    places.put("the minute ledger with the probe errors", minutes);
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
