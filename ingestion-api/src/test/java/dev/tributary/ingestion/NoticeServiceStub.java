package dev.tributary.ingestion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * notice-service faked at the HTTP level (the service's own behaviour is tested in notice-service,
 * against a real SMTP server). {@link #reset} restores the defaults: {@code POST /v1/notices}
 * answers 201 with a notice id derived from the Idempotency-Key, {@code GET /v1/notices/{id}}
 * answers the notice with one PENDING delivery (not delivered yet); {@link #delivered} makes one
 * notice delivered.
 */
public class NoticeServiceStub implements QuarkusTestResourceLifecycleManager {

  /** Injects the {@link WireMockServer} into a test's field. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectNoticeService {}

  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    reset(server);
    return Map.of("quarkus.rest-client.notice-service.url", server.baseUrl());
  }

  /** Back to the defaults described above. */
  public static void reset(WireMockServer server) {
    server.resetAll();
    server.stubFor(
        post(urlPathEqualTo("/v1/notices"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\": \"{{randomValue type='UUID'}}\", \"kind\":"
                            + " \"{{jsonPath request.body '$.kind'}}\","
                            + " \"createdAt\": \"2026-03-02T18:00:00Z\", \"recipients\": 1,"
                            + " \"deliveries\": 1}")
                    .withTransformers("response-template")));
    server.stubFor(
        get(urlPathMatching("/v1/notices/[^/]+"))
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\": \"{{request.pathSegments.[2]}}\", \"kind\": \"SUSPENSION\","
                            + " \"deliveries\": {\"pending\": 1, \"sending\": 0, \"sent\": 0,"
                            + " \"failed\": 0}}")
                    .withTransformers("response-template")));
  }

  /** From now on the notice has one SENT delivery (the mail provider accepted it). */
  public static void delivered(WireMockServer server, String noticeId) {
    server.stubFor(
        get(urlPathEqualTo("/v1/notices/" + noticeId))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\": \""
                            + noticeId
                            + "\", \"kind\": \"SUSPENSION\", \"deliveries\": {\"pending\": 0,"
                            + " \"sending\": 0, \"sent\": 1, \"failed\": 0}}")));
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server,
        new TestInjector.AnnotatedAndMatchesType(InjectNoticeService.class, WireMockServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
