package dev.tributary.notice;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test helper: requests with the service token and notice bodies. */
public final class Notices {

  public static final String SERVICE_TOKEN = "test-service-token";
  public static final String ADMIN_TOKEN = "test-admin-token";
  public static final String PROBLEM_JSON = "application/problem+json";

  private Notices() {}

  public static RequestSpecification service() {
    return given().header("Authorization", "Bearer " + SERVICE_TOKEN);
  }

  /** A notice's deliveries as {@code GET /v1/notices/{id}/deliveries} answers them. */
  public static JsonPath deliveries(String noticeId) {
    return service()
        .get("/v1/notices/{id}/deliveries", noticeId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  public static ValidatableResponse create(Map<String, Object> body) {
    return service().contentType(ContentType.JSON).body(body).when().post("/v1/notices").then();
  }

  public static ValidatableResponse create(Map<String, Object> body, String idempotencyKey) {
    return service()
        .contentType(ContentType.JSON)
        .header("Idempotency-Key", idempotencyKey)
        .body(body)
        .when()
        .post("/v1/notices")
        .then();
  }

  public static Map<String, Object> all() {
    return Map.of("type", "ALL");
  }

  public static Map<String, Object> workspaces(String... ids) {
    return Map.of("type", "WORKSPACES", "workspaceIds", List.of(ids));
  }

  public static Map<String, Object> createdBefore(String instant) {
    return Map.of("type", "CREATED_BEFORE", "createdBefore", instant);
  }

  /** A notice body: kind, audience, then field/value pairs. */
  public static Map<String, Object> notice(
      String kind, Map<String, Object> audience, Object... fields) {
    Map<String, Object> body = new HashMap<>();
    body.put("kind", kind);
    body.put("audience", audience);
    for (int i = 0; i < fields.length; i += 2) {
      body.put((String) fields[i], fields[i + 1]);
    }
    return body;
  }

  public static Map<String, Object> termsUpdate(
      Map<String, Object> audience, String effectiveAt, boolean material, boolean legalChange) {
    return notice(
        "TERMS_UPDATE",
        audience,
        "document",
        "Terms of Service",
        "version",
        "2026-04",
        "url",
        "https://tributary.example/legal/terms/2026-04",
        "summary",
        "New liability cap.",
        "effectiveAt",
        effectiveAt,
        "material",
        material,
        "legalChange",
        legalChange);
  }

  /** A GENERAL notice by email only. */
  public static Map<String, Object> generalByEmail(Map<String, Object> audience) {
    return notice(
        "GENERAL",
        audience,
        "subject",
        "A word from Tributary",
        "body",
        "Nothing changes for you; this is a test.",
        "channels",
        List.of("EMAIL"));
  }

  public static Map<String, Object> maintenance(
      Map<String, Object> audience, String windowStart, String windowEnd) {
    return notice(
        "MAINTENANCE",
        audience,
        "windowStart",
        windowStart,
        "windowEnd",
        windowEnd,
        "description",
        "Database upgrade; the Tracking API may answer 503 for up to 5 minutes.");
  }
}
