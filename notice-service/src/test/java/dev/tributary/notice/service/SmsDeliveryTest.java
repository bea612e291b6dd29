package dev.tributary.notice.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tributary.notice.IngestionApiStub.ACME;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.maintenance;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.workspaces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.SmsApiStub;
import dev.tributary.notice.SmsApiStub.InjectSmsApi;
import dev.tributary.notice.SmtpServers;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SMS deliveries through the (WireMock) SMS provider. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
@QuarkusTestResource(SmtpServers.class)
@QuarkusTestResource(SmsApiStub.class)
class SmsDeliveryTest {

  @InjectSmsApi WireMockServer smsApi;
  @Inject TestClock clock;
  @Inject DeliveryWorker worker;

  @BeforeEach
  void drainTheOutbox() throws Throwable {
    smsApi.resetAll();
    SmsApiStub.stubDefaults(smsApi);
    Outbox.drain(worker, clock);
    smsApi.resetRequests();
  }

  @Test
  void aMaintenanceNoticeIsTextedToEveryPhoneWithItsEvidence() throws Throwable {
    Map<String, Object> body =
        maintenance(workspaces(ACME), "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z");
    body.put("channels", List.of("SMS"));
    String noticeId = create(body).statusCode(201).extract().path("id");

    assertEquals(2, runWorker());

    List<LoggedRequest> requests =
        smsApi.findAll(postRequestedFor(urlEqualTo(SmsApiStub.MESSAGES_PATH)));
    assertEquals(2, requests.size());
    Map<String, String> sentBodies = new HashMap<>();
    for (LoggedRequest request : requests) {
      Map<String, String> form = form(request.getBodyAsString());
      assertEquals(SmsApiStub.FROM, form.get("From"));
      sentBodies.put(form.get("To"), form.get("Body"));
    }
    assertEquals(
        List.of("+14155550100", "+14155550101"), sentBodies.keySet().stream().sorted().toList());
    String text = sentBodies.get("+14155550100");
    // Acme is in Paris (CET); Pacific Time is PST on 6 March 2026.
    assertTrue(text.contains("Friday 6 March 2026, 11:00 CET"), text);
    assertTrue(text.contains("Friday 6 March 2026, 02:00 PST"), text);
    assertTrue(text.contains("Database upgrade"), text);

    JsonPath deliveries =
        service()
            .get("/v1/notices/{id}/deliveries", noticeId)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(List.of("SENT", "SENT"), deliveries.getList(NOTICE_STAGE + ".status"));
    for (int i = 0; i < 2; i++) {
      String address = deliveries.getString("[" + i + "].address");
      assertEquals(SmsApiStub.MESSAGE_SID, deliveries.getString("[" + i + "].providerMessageId"));
      assertEquals(
          NoticeRenderer.sha256(sentBodies.get(address)),
          deliveries.getString("[" + i + "].contentSha256"));
      assertNotNull(deliveries.getString("[" + i + "].acceptedAt"));
    }
  }

  @Test
  void aProviderErrorIsRetriedLater() throws Throwable {
    StubMapping down =
        smsApi.stubFor(
            post(urlEqualTo(SmsApiStub.MESSAGES_PATH))
                .atPriority(1)
                .willReturn(aResponse().withStatus(503)));
    Map<String, Object> body =
        maintenance(workspaces(ACME), "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z");
    body.put("channels", List.of("SMS"));
    String noticeId = create(body).statusCode(201).extract().path("id");

    assertEquals(2, runWorker());

    JsonPath deliveries =
        service().get("/v1/notices/{id}/deliveries", noticeId).then().extract().jsonPath();
    assertEquals(List.of("PENDING", "PENDING"), deliveries.getList(NOTICE_STAGE + ".status"));
    assertEquals(List.of(1, 1), deliveries.getList(NOTICE_STAGE + ".attempts"));
    String lastError = deliveries.getString("[0].lastError");
    assertTrue(lastError.contains("sms"), lastError);
    assertTrue(!lastError.contains(SmsApiStub.AUTH_TOKEN), lastError);

    smsApi.removeStub(down);
    clock.set(TestClock.MONDAY.plusSeconds(3600));
    assertEquals(2, runWorker());
    deliveries = service().get("/v1/notices/{id}/deliveries", noticeId).then().extract().jsonPath();
    assertEquals(List.of("SENT", "SENT"), deliveries.getList(NOTICE_STAGE + ".status"));
    assertEquals(List.of(2, 2), deliveries.getList(NOTICE_STAGE + ".attempts"));
  }

  /** The notice's own deliveries; its maintenance reminders come after them. */
  private static final String NOTICE_STAGE = "findAll { it.stage == 'NOTICE' }";

  private int runWorker() throws Throwable {
    return Outbox.runOnce(worker);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }
}
