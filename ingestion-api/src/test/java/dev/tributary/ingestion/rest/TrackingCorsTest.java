package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.RawHttp;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.RawHttp.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CORS on the Tracking API: preflights for what the libraries send, and an {@code
 * Access-Control-Allow-Origin} on every answer, errors included, so a page's library can read it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingCorsTest {

  static final String SITE = "https://shop.example.com";

  private static String event(TestSource source, String messageId) {
    return "{\"writeKey\":\""
        + source.writeKey()
        + "\",\"userId\":\"u\",\"event\":\"Viewed\",\"messageId\":\""
        + messageId
        + "\"}";
  }

  private static void assertReadableBy(String origin, Answer answer) {
    assertEquals(origin, answer.header("Access-Control-Allow-Origin"), answer.headers().toString());
    assertTrue(answer.header("Vary").contains("Origin"), answer.headers().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/t", "/v1/b", "/v1/track", "/v1/batch/", "/v1/projects/k/settings"})
  void aPreflightAllowsWhatTheLibrariesSend(String path) {
    Answer answer =
        RawHttp.send(
            "OPTIONS",
            path,
            Map.of(
                "Origin", SITE,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type,authorization,x-retry-count"),
            null,
            false);
    assertEquals(204, answer.status());
    assertReadableBy(SITE, answer);
    assertTrue(answer.header("Access-Control-Allow-Methods").contains("POST"));
    String allowed = answer.header("Access-Control-Allow-Headers").toLowerCase();
    for (String header : List.of("content-type", "authorization", "x-retry-count")) {
      assertTrue(allowed.contains(header), allowed);
    }
    assertEquals("86400", answer.header("Access-Control-Max-Age"));
    assertNull(answer.header("Access-Control-Allow-Private-Network"));
  }

  @Test
  void aPreflightFromAPublicPageToAPrivateNetworkIsAllowed() {
    Answer answer =
        RawHttp.send(
            "OPTIONS",
            "/v1/t",
            Map.of(
                "Origin", SITE,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Private-Network", "true"),
            null,
            false);
    assertEquals(204, answer.status());
    assertEquals("true", answer.header("Access-Control-Allow-Private-Network"));
  }

  @Test
  void aSuccessIsReadableAndExposesTheThrottlingHeaders() {
    TestSource source = newSource();
    Answer answer =
        RawHttp.post(
            "/v1/t",
            Map.of("Origin", SITE, "Content-Type", "text/plain;charset=UTF-8"),
            event(source, "cors-1"));
    assertEquals(200, answer.status(), answer.body());
    assertReadableBy(SITE, answer);
    String exposed = answer.header("Access-Control-Expose-Headers");
    assertTrue(exposed.contains("Retry-After") && exposed.contains("X-RateLimit-Reset"), exposed);
    assertEquals(1, events(source.sourceId()).size());
  }

  @Test
  void everyKindOfErrorIsReadable() {
    TestSource source = newSource();
    Map<String, String> text = Map.of("Origin", SITE, "Content-Type", "text/plain");
    // 400: invalid JSON; 401: unknown key; 415: media type; 404: no such path.
    assertReadableBy(SITE, RawHttp.post("/v1/t", text, "{not json"));
    Answer unknownKey = RawHttp.post("/v1/t", text, "{\"writeKey\":\"nope\",\"userId\":\"u\"}");
    assertEquals(401, unknownKey.status());
    assertReadableBy(SITE, unknownKey);
    Answer html = RawHttp.post("/v1/t", Map.of("Origin", SITE, "Content-Type", "text/html"), "x");
    assertEquals(415, html.status());
    assertReadableBy(SITE, html);
    Answer missing = RawHttp.post("/v1/nowhere", text, "{}");
    assertEquals(404, missing.status());
    assertReadableBy(SITE, missing);
    // 413 from the HTTP layer itself (over its 1 MB cut-off), before the Tracking API sees it.
    // It answers on the declared length alone: sending the body too would race the server's
    // close of the connection (a broken pipe on the client's side).
    Map<String, String> declaredTooLarge = new HashMap<>(text);
    declaredTooLarge.put("Content-Length", "1100000");
    Answer tooLarge = RawHttp.send("POST", "/v1/t", declaredTooLarge, null, false);
    assertEquals(413, tooLarge.status());
    assertReadableBy(SITE, tooLarge);
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void aThrottledAnswerIsReadable() {
    TestSource source = newSource(1, 1);
    Map<String, String> text = Map.of("Origin", SITE, "Content-Type", "text/plain");
    String batch =
        "{\"writeKey\":\""
            + source.writeKey()
            + "\",\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"a\"},"
            + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"b\"}]}";
    assertEquals(200, RawHttp.post("/v1/b", text, batch).status(), "the burst passes once");
    Answer throttled = RawHttp.post("/v1/b", text, batch);
    assertEquals(429, throttled.status(), throttled.body());
    assertReadableBy(SITE, throttled);
    assertTrue(Integer.parseInt(throttled.header("Retry-After")) >= 1);
  }

  @Test
  void theAdminApiHasNoCors() {
    Answer preflight =
        RawHttp.send(
            "OPTIONS",
            "/admin/v1/workspaces",
            Map.of("Origin", SITE, "Access-Control-Request-Method", "GET"),
            null,
            false);
    assertNull(preflight.header("Access-Control-Allow-Origin"));
    Answer get =
        RawHttp.send(
            "GET",
            "/admin/v1/workspaces",
            Map.of("Origin", SITE, "Authorization", "Bearer test-admin-token"),
            null,
            false);
    assertEquals(200, get.status());
    assertNull(get.header("Access-Control-Allow-Origin"));
  }

  @Test
  void aSourceRestrictedToItsSitesRefusesOtherOrigins() {
    TestSource source = newSource();
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("allowedOrigins", List.of("https://www.example.com", "https://*.Example.org")))
        .put("/admin/v1/sources/{id}/allowed-origins", source.sourceId())
        .then()
        .statusCode(200);

    Map<String, String> fromElsewhere =
        Map.of("Origin", "https://evil.example", "Content-Type", "text/plain");
    Answer refused = RawHttp.post("/v1/t", fromElsewhere, event(source, "o-1"));
    assertEquals(403, refused.status(), refused.body());
    assertTrue(refused.body().contains("\"code\":\"origin_not_allowed\""), refused.body());
    assertReadableBy("https://evil.example", refused);

    for (String allowed : List.of("https://www.example.com", "https://shop.example.org")) {
      Answer answer =
          RawHttp.post(
              "/v1/t",
              Map.of("Origin", allowed, "Content-Type", "text/plain"),
              event(source, allowed));
      assertEquals(200, answer.status(), allowed + ": " + answer.body());
    }
    // Server and mobile libraries send no Origin: the restriction is for browsers.
    Answer server =
        RawHttp.send(
            "POST",
            "/v1/track",
            Map.of("Content-Type", "application/json"),
            event(source, "server-1").getBytes(StandardCharsets.UTF_8),
            false);
    assertEquals(200, server.status(), server.body());
    assertEquals(3, events(source.sourceId()).size());
  }
}
