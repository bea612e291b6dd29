package dev.tributary.notice.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tributary.notice.IngestionApiStub.ACME;
import static dev.tributary.notice.Notices.ADMIN_TOKEN;
import static dev.tributary.notice.Notices.SERVICE_TOKEN;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.maintenance;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.workspaces;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.SmsApiStub;
import dev.tributary.notice.SmsApiStub.InjectSmsApi;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.SecretScan;
import dev.tributary.testsupport.TokenRefusals;
import dev.tributary.testsupport.TokenRefusals.Family;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
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
 * Secrets never appear in notice-service's logs, metrics or error bodies: the admin and service
 * tokens, the SMTP servers' user and password and the SMS provider's auth token (and its Basic
 * credentials) stay hidden while tokens are refused, requests are malformed, the SMS provider fails
 * with an answer that echoes the credentials and deliveries record their errors. The log scanned is
 * the whole test log file ({@link SecretScan}), so the fixed tokens are checked for every test
 * class that ran before.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
@QuarkusTestResource(SmsApiStub.class)
@TestProfile(SecretsStayHiddenTest.SmtpCredentials.class)
class SecretsStayHiddenTest {

  private static final Logger LOG = Logger.getLogger(SecretsStayHiddenTest.class);

  static final String SMTP_USER = "smtp-user-7d3a91";
  static final String SMTP_PASSWORD = "smtp-password-e5b20c4f";

  /** Both SMTP servers with credentials, as production has them. */
  public static class SmtpCredentials implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.mailer.username", SMTP_USER,
          "quarkus.mailer.password", SMTP_PASSWORD,
          "quarkus.mailer.secondary.username", SMTP_USER,
          "quarkus.mailer.secondary.password", SMTP_PASSWORD);
    }
  }

  @InjectSmsApi WireMockServer smsApi;
  @Inject TestClock clock;
  @Inject DeliveryWorker worker;

  @BeforeEach
  void drainTheOutbox() throws Throwable {
    smsApi.resetAll();
    SmsApiStub.stubDefaults(smsApi);
    Outbox.drain(worker, clock);
  }

  @Test
  void noSecretInLogsMetricsOrErrorBodies() throws Throwable {
    String smsBasic =
        Base64.getEncoder()
            .encodeToString(
                (SmsApiStub.ACCOUNT_SID + ":" + SmsApiStub.AUTH_TOKEN)
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the admin token", ADMIN_TOKEN);
    secrets.put("the service token", SERVICE_TOKEN);
    secrets.put("the SMTP user", SMTP_USER);
    secrets.put("the SMTP password", SMTP_PASSWORD);
    secrets.put("the SMS auth token", SmsApiStub.AUTH_TOKEN);
    secrets.put("the SMS Basic credentials", smsBasic);

    List<String> errorBodies = new ArrayList<>();
    errorBodies.addAll(
        TokenRefusals.check(
            RestAssured.port,
            "GET",
            "/v1/workspaces/" + ACME + "/notices",
            null,
            Family.SERVICE,
            ADMIN_TOKEN,
            SERVICE_TOKEN));
    errorBodies.add(
        expect(
            400,
            service()
                .contentType(ContentType.JSON)
                .body("{\"kind\": \"GENERAL\", \"subject\": \"" + ADMIN_TOKEN + "\", ")
                .post("/v1/notices")));
    errorBodies.add(
        expect(
            400,
            service()
                .contentType(ContentType.JSON)
                .body("{\"kind\": \"" + SERVICE_TOKEN + "\"}")
                .post("/v1/notices")));
    errorBodies.add(expect(404, service().get("/v1/notices/{id}", UUID.randomUUID())));

    // A maintenance notice to Acme by email and text: the SMS provider fails every message with
    // an answer that echoes the credentials; the mail goes to the SMTP servers with credentials.
    smsApi.stubFor(
        post(urlEqualTo(SmsApiStub.MESSAGES_PATH))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"message\": \"bad credentials Basic "
                            + smsBasic
                            + " "
                            + SmsApiStub.AUTH_TOKEN
                            + "\", \"code\": 20003}")));
    String noticeId =
        create(maintenance(workspaces(ACME), "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z"))
            .statusCode(201)
            .extract()
            .path("id");
    assertTrue(Outbox.runOnce(worker) > 0, "the worker handled the deliveries");
    String deliveries =
        service()
            .get("/v1/notices/{id}/deliveries", noticeId)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(deliveries.contains("SMS"), deliveries);

    String marker = "secret-scan marker " + UUID.randomUUID();
    LOG.info(marker);
    String log = SecretScan.testLog();
    assertTrue(log.contains(marker), "the log file receives this JVM's log");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(metrics.contains("tributary_"), "the metrics are the service's");

    Map<String, String> places = new LinkedHashMap<>();
    places.put("the test log", log);
    places.put("/q/metrics", metrics);
    places.put("/q/health", given().get("/q/health").asString());
    places.put("the deliveries with their errors", deliveries);
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
