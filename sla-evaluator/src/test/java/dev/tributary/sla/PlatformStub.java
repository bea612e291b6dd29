package dev.tributary.sla;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
 * ingestion-api and notice-service faked at the HTTP level by one WireMock server (their paths do
 * not collide). {@link #reset} restores the defaults below; a test adds its own stubs on top.
 *
 * <ul>
 *   <li>{@code GET /internal/v1/workspaces}: {@link #UTC_WS} (UTC, created 2024-01-10), {@link
 *       #PACIFIC_WS} (America/Los_Angeles, created 2024-03-01) and {@link #NEW_WS} (UTC, created
 *       2025-06-15);
 *   <li>{@code GET /internal/v1/request-stats}: no rows; {@code PUT
 *       /internal/v1/probe-sources/{name}}: the probe source;
 *   <li>the six Tracking API endpoints: 200 {@code {"success":true}};
 *   <li>{@code POST /v1/notices}: 201 with {@link #NOTICE_ID}; {@code GET /v1/notices/{id}}: 404.
 * </ul>
 */
public class PlatformStub implements QuarkusTestResourceLifecycleManager {

  /** Injects the {@link WireMockServer} into a test's field. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectPlatform {}

  public static final String UTC_WS = "aaaaaaaa-0000-0000-0000-000000000001";
  public static final String PACIFIC_WS = "aaaaaaaa-0000-0000-0000-000000000002";
  public static final String NEW_WS = "aaaaaaaa-0000-0000-0000-000000000003";
  public static final String NOTICE_ID = "bbbbbbbb-0000-0000-0000-000000000001";
  public static final String SERVICE_BEARER = "Bearer test-service-token";

  static final String WORKSPACES =
      """
      [
        {"id": "%s", "name": "Utc Co", "timeZone": "UTC", "createdAt": "2024-01-10T00:00:00Z",
         "contacts": [{"name": "Legal", "email": "legal@utc.example"}]},
        {"id": "%s", "name": "Pacific Co", "timeZone": "America/Los_Angeles",
         "createdAt": "2024-03-01T00:00:00Z", "contacts": []},
        {"id": "%s", "name": "New Co", "timeZone": "UTC", "createdAt": "2025-06-15T00:00:00Z",
         "contacts": []}
      ]
      """
          .formatted(UTC_WS, PACIFIC_WS, NEW_WS);

  private WireMockServer server;

  @Override
  public Map<String, String> start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    reset(server);
    return Map.of(
        "quarkus.rest-client.ingestion-api.url", server.baseUrl(),
        "quarkus.rest-client.notice-service.url", server.baseUrl());
  }

  /** Back to the defaults described above. */
  public static void reset(WireMockServer server) {
    server.resetAll();
    server.stubFor(
        any(urlPathMatching("/internal/.*"))
            .atPriority(10)
            .willReturn(aResponse().withStatus(401)));
    server.stubFor(
        get(urlPathEqualTo("/internal/v1/workspaces"))
            .withHeader("Authorization", equalTo(SERVICE_BEARER))
            .willReturn(json(200, WORKSPACES)));
    server.stubFor(
        get(urlPathEqualTo("/internal/v1/request-stats"))
            .withHeader("Authorization", equalTo(SERVICE_BEARER))
            .willReturn(json(200, "[]")));
    server.stubFor(
        put(urlPathMatching("/internal/v1/probe-sources/.*"))
            .withHeader("Authorization", equalTo(SERVICE_BEARER))
            .willReturn(
                json(
                    200,
                    """
                    {"workspaceId": "cccccccc-0000-0000-0000-000000000001",
                     "sourceId": "cccccccc-0000-0000-0000-000000000002", "name": "sla-evaluator"}
                    """)));
    server.stubFor(
        post(urlPathMatching("/v1/(identify|track|page|screen|group|alias)"))
            .willReturn(json(200, "{\"success\":true}")));
    server.stubFor(
        post(urlEqualTo("/v1/notices"))
            .withHeader("Authorization", equalTo(SERVICE_BEARER))
            .willReturn(
                json(
                    201,
                    "{\"id\": \"%s\", \"kind\": \"MAINTENANCE\", \"createdAt\": \"2025-01-01T00:00:00Z\"}"
                        .formatted(NOTICE_ID))));
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
      int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server,
        new TestInjector.AnnotatedAndMatchesType(InjectPlatform.class, WireMockServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop();
    }
  }
}
