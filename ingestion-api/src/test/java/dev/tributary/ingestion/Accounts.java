package dev.tributary.ingestion;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test helper: creates workspaces and sources through the admin API and reads stored events back,
 * so every test works on its own, fresh source.
 */
public final class Accounts {

  public static final String ADMIN_TOKEN = "test-admin-token";
  public static final String SERVICE_TOKEN = "test-service-token";

  /** A fresh source and the write key it was created with. */
  public record TestSource(String workspaceId, String sourceId, String writeKey) {}

  private Accounts() {}

  /** A request with the admin token. */
  public static RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  /**
   * A Tracking API request authenticated by HTTP Basic with {@code writeKey} as username (with the
   * colon).
   */
  public static RequestSpecification tracking(String writeKey) {
    return given().contentType(ContentType.JSON).header("Authorization", basic(writeKey, true));
  }

  /** {@code Basic base64(key:)} or, without the colon, {@code Basic base64(key)}. */
  public static String basic(String writeKey, boolean trailingColon) {
    String credentials = trailingColon ? writeKey + ":" : writeKey;
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  public static String createWorkspace() {
    return createWorkspace(null, null);
  }

  /** A workspace with the given throughput limits (null: service defaults); answers its id. */
  public static String createWorkspace(Integer eventsPerSecond, Integer burst) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", "test workspace " + UUID.randomUUID());
    body.put("contacts", List.of(Map.of("name", "Legal", "email", "legal@example.com")));
    if (eventsPerSecond != null) {
      body.put("eventsPerSecond", eventsPerSecond);
    }
    if (burst != null) {
      body.put("burst", burst);
    }
    return admin()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** One page of {@code GET /internal/v1/workspaces} (after: null for the first page). */
  public static List<Map<String, Object>> directoryPage(String token, int limit, String after) {
    RequestSpecification request =
        given().header("Authorization", "Bearer " + token).queryParam("limit", limit);
    if (after != null) {
      request.queryParam("after", after);
    }
    return request
        .get("/internal/v1/workspaces")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  /**
   * Every customer workspace of the directory, read as the other services read it: page after page,
   * each after the last id of the one before, until a page is not full.
   */
  public static List<Map<String, Object>> directory(String token, int limit) {
    List<Map<String, Object>> all = new ArrayList<>();
    List<Map<String, Object>> page = directoryPage(token, limit, null);
    all.addAll(page);
    while (page.size() == limit) {
      page = directoryPage(token, limit, (String) page.get(page.size() - 1).get("id"));
      all.addAll(page);
    }
    return all;
  }

  /** The ids of {@link #directory} (service token, pages of 1,000). */
  public static List<String> directoryIds() {
    return directory(SERVICE_TOKEN, 1000).stream().map(w -> (String) w.get("id")).toList();
  }

  public static TestSource createSource(String workspaceId) {
    var response =
        admin()
            .contentType(ContentType.JSON)
            .body(Map.of("name", "test source"))
            .when()
            .post("/admin/v1/workspaces/{id}/sources", workspaceId)
            .then()
            .statusCode(201)
            .extract();
    return new TestSource(workspaceId, response.path("id"), response.path("writeKey"));
  }

  /** A new workspace (service default limits) with one source. */
  public static TestSource newSource() {
    return createSource(createWorkspace());
  }

  /** A new workspace with the given limits, with one source. */
  public static TestSource newSource(Integer eventsPerSecond, Integer burst) {
    return createSource(createWorkspace(eventsPerSecond, burst));
  }

  /** The source's stored events, newest first (at most 5,000). */
  public static List<Map<String, Object>> events(String sourceId) {
    return admin()
        .queryParam("limit", 5000)
        .when()
        .get("/admin/v1/sources/{id}/events", sourceId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  /** The one stored event of the source; fails when there is not exactly one. */
  public static Map<String, Object> onlyEvent(String sourceId) {
    List<Map<String, Object>> events = events(sourceId);
    if (events.size() != 1) {
      throw new AssertionError(
          "expected exactly one stored event, found " + events.size() + ": " + events);
    }
    return events.get(0);
  }

  /** The stored JSON of an event view ({@code event} field). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> payload(Map<String, Object> eventView) {
    return (Map<String, Object>) eventView.get("event");
  }

  /** {@code context.library} of a stored event's JSON: which library sent it. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> library(Map<String, Object> payload) {
    return (Map<String, Object>) ((Map<String, Object>) payload.get("context")).get("library");
  }

  /** What an event of {@code type} carries: its traits (identify, group) or properties. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> data(String type, Map<String, Object> payload) {
    boolean traits = type.equals("identify") || type.equals("group");
    return (Map<String, Object>) payload.get(traits ? "traits" : "properties");
  }

  /** A minimal valid event body for a single-event call of {@code type}. */
  public static Map<String, Object> validEvent(String type, String messageId) {
    Map<String, Object> event = new HashMap<>();
    event.put("userId", "user-1");
    if (messageId != null) {
      event.put("messageId", messageId);
    }
    switch (type) {
      case "track" -> {
        event.put("event", "Order Completed");
        event.put("properties", Map.of("revenue", 12.5, "currency", "EUR"));
      }
      case "identify" -> event.put("traits", Map.of("email", "ada@example.com"));
      case "page", "screen" -> event.put("name", "Home");
      case "group" -> {
        event.put("groupId", "group-1");
        event.put("traits", Map.of("plan", "enterprise"));
      }
      case "alias" -> event.put("previousId", "anonymous-1");
      default -> throw new IllegalArgumentException(type);
    }
    return event;
  }

  /** The same event as a batch item (it carries its own type). */
  public static Map<String, Object> batchItem(String type, String messageId) {
    Map<String, Object> event = validEvent(type, messageId);
    event.put("type", type);
    return event;
  }

  public static String newMessageId() {
    return "msg-" + UUID.randomUUID();
  }
}
