package dev.tributary.notice;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * ingestion-api faked at the HTTP level: {@code GET /internal/v1/workspaces} answers three
 * workspaces to the service token and 401 to anything else.
 *
 * <ul>
 *   <li>{@link #ACME}, created 2025-01-10: Legal (email and phone), Ops (phone), and a second
 *       contact with Legal's email (one email delivery, two SMS deliveries);
 *   <li>{@link #GLOBEX}, created 2026-02-15: Counsel (email only);
 *   <li>{@link #INITECH}, created 2024-05-01: no contacts (a recipient without deliveries).
 * </ul>
 */
public class IngestionApiStub implements QuarkusTestResourceLifecycleManager {

  /** Injects the {@link WireMockServer} into a test's field, to add stubs for one test. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectIngestionApi {}

  public static final String ACME = "11111111-1111-1111-1111-111111111111";
  public static final String GLOBEX = "22222222-2222-2222-2222-222222222222";
  public static final String INITECH = "33333333-3333-3333-3333-333333333333";

  static final String WORKSPACES =
      """
      [
        {"id": "%s", "name": "Acme", "timeZone": "Europe/Paris",
         "createdAt": "2025-01-10T09:00:00Z", "eventsPerSecond": 1000, "burst": 2000,
         "contacts": [
           {"name": "Legal", "email": "legal@acme.example", "phone": "+14155550100"},
           {"name": "Ops", "phone": "+14155550101"},
           {"name": "Legal copy", "email": "legal@acme.example"}
         ]},
        {"id": "%s", "name": "Globex", "timeZone": "America/New_York",
         "createdAt": "2026-02-15T00:00:00Z", "eventsPerSecond": 1000, "burst": 2000,
         "contacts": [{"name": "Counsel", "email": "counsel@globex.example"}]},
        {"id": "%s", "name": "Initech", "timeZone": "UTC",
         "createdAt": "2024-05-01T00:00:00Z", "eventsPerSecond": 1000, "burst": 2000,
         "contacts": []}
      ]
      """
          .formatted(ACME, GLOBEX, INITECH);

  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    server.stubFor(
        get(urlEqualTo("/internal/v1/workspaces"))
            .atPriority(10)
            .willReturn(aResponse().withStatus(401)));
    server.stubFor(
        get(urlEqualTo("/internal/v1/workspaces"))
            .atPriority(1)
            .withHeader("Authorization", equalTo("Bearer test-service-token"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(WORKSPACES)));
    return Map.of("quarkus.rest-client.ingestion-api.url", server.baseUrl());
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server,
        new TestInjector.AnnotatedAndMatchesType(InjectIngestionApi.class, WireMockServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
