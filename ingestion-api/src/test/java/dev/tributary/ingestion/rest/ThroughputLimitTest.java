package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.service.ThroughputLimiter;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Per-workspace events-per-second limit: 429 rate_limited with Retry-After and X-RateLimit-*
 * headers; per-source requests in progress: 429 too_many_concurrent_requests.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ThroughputLimitTest {

  @Inject ThroughputLimiter limiter;

  @Test
  void aSourceAtItsConcurrencyCapIsRefusedBeforeItsBodyIsParsed() {
    TestSource source = newSource();
    UUID sourceId = UUID.fromString(source.sourceId());
    tracking(source.writeKey())
        .body(batchItem("track", "known-"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    // Every slot of the source taken, as by requests waiting for their commit.
    int slots = limiter.maxInFlightPerSource();
    for (int i = 0; i < slots; i++) {
      assertTrue(limiter.tryEnter(sourceId));
    }
    try {
      // Not JSON: parsed, it would be a 400; refused first, it is the 429 the source is due.
      tracking(source.writeKey())
          .body("{not json")
          .post("/v1/batch")
          .then()
          .statusCode(429)
          .contentType(ContentType.JSON)
          .body("code", is("too_many_concurrent_requests"))
          .header("Retry-After", "1");
      // Another source of another workspace is not affected.
      TestSource other = newSource();
      tracking(other.writeKey())
          .body(batchItem("track", "other-"))
          .post("/v1/track")
          .then()
          .statusCode(200);
    } finally {
      for (int i = 0; i < slots; i++) {
        limiter.leave(sourceId);
      }
    }
    tracking(source.writeKey())
        .body("{not json")
        .post("/v1/batch")
        .then()
        .statusCode(400)
        .body("code", is("invalid_json"));
    tracking(source.writeKey())
        .body(batchItem("track", "after-"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    assertEquals(2, events(source.sourceId()).size());
  }

  static Map<String, Object> batchOf(int n, String prefix) {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(batchItem("track", prefix + i));
    }
    return Map.of("batch", batch);
  }

  @Test
  void aWorkspaceOverItsRateGets429WithRateLimitHeaders() {
    TestSource source = newSource(1, 5);
    tracking(source.writeKey()).body(batchOf(5, "first-")).post("/v1/batch").then().statusCode(200);

    // The bucket is empty: 5 more events need about 5 s of refill at 1 event/s.
    ExtractableResponse<Response> throttled =
        tracking(source.writeKey())
            .body(batchOf(5, "second-"))
            .post("/v1/batch")
            .then()
            .statusCode(429)
            .contentType(ContentType.JSON)
            .body("code", is("rate_limited"))
            .extract();
    long retryAfter = Long.parseLong(throttled.header("Retry-After"));
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
    assertEquals("1", throttled.header("X-RateLimit-Limit"));
    assertNotNull(throttled.header("X-RateLimit-Remaining"));
    long remaining = Long.parseLong(throttled.header("X-RateLimit-Remaining"));
    assertTrue(remaining >= 0 && remaining < 5, "remaining " + remaining);
    long reset = Long.parseLong(throttled.header("X-RateLimit-Reset"));
    assertTrue(reset >= 1, "reset " + reset);

    assertEquals(5, events(source.sourceId()).size(), "the throttled batch stored nothing");
  }

  @Test
  void theLimitIsPerWorkspaceSharedBySourcesAndNotOtherWorkspaces() {
    TestSource a = newSource(1, 5);
    TestSource sameWorkspace = createSource(a.workspaceId());
    TestSource otherWorkspace = newSource(1, 5);

    tracking(a.writeKey()).body(batchOf(5, "a-")).post("/v1/batch").then().statusCode(200);
    tracking(sameWorkspace.writeKey())
        .body(batchOf(5, "same-"))
        .post("/v1/batch")
        .then()
        .statusCode(429)
        .body("code", is("rate_limited"));
    tracking(otherWorkspace.writeKey())
        .body(batchOf(5, "other-"))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    assertTrue(events(sameWorkspace.sourceId()).isEmpty());
    assertEquals(5, events(otherWorkspace.sourceId()).size());
  }

  @Test
  void singleEventCallsTakeFromTheSameBucket() {
    TestSource source = newSource(1, 5);
    for (int i = 0; i < 5; i++) {
      tracking(source.writeKey())
          .body(batchItem("track", "s-" + i))
          .post("/v1/track")
          .then()
          .statusCode(200);
    }
    // Five tokens used by single calls; five more events need about 5 s of refill.
    tracking(source.writeKey())
        .body(batchOf(5, "s-b-"))
        .post("/v1/batch")
        .then()
        .statusCode(429)
        .body("code", is("rate_limited"))
        .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    assertEquals(5, events(source.sourceId()).size());
  }

  @Test
  void changingTheLimitsAppliesToTheNextRequest() {
    TestSource source = newSource(1, 5);
    tracking(source.writeKey())
        .body(batchOf(5, "before-"))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    tracking(source.writeKey())
        .body(batchOf(5, "throttled-"))
        .post("/v1/batch")
        .then()
        .statusCode(429);

    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("eventsPerSecond", 1000, "burst", 2000))
        .put("/admin/v1/workspaces/{id}/limits", source.workspaceId())
        .then()
        .statusCode(200)
        .body("eventsPerSecond", is(1000))
        .body("burst", is(2000));
    admin()
        .get("/admin/v1/workspaces/{id}", source.workspaceId())
        .then()
        .statusCode(200)
        .body("eventsPerSecond", is(1000))
        .body("burst", is(2000));

    tracking(source.writeKey()).body(batchOf(5, "after-")).post("/v1/batch").then().statusCode(200);
    tracking(source.writeKey())
        .body(batchOf(100, "after-big-"))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    assertEquals(110, events(source.sourceId()).size());
  }

  @Test
  void loweringTheLimitsThrottlesSooner() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(batchOf(10, "default-"))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("eventsPerSecond", 1, "burst", 5))
        .put("/admin/v1/workspaces/{id}/limits", source.workspaceId())
        .then()
        .statusCode(200);
    tracking(source.writeKey()).body(batchOf(5, "low-")).post("/v1/batch").then().statusCode(200);
    tracking(source.writeKey())
        .body(batchOf(5, "low-throttled-"))
        .post("/v1/batch")
        .then()
        .statusCode(429)
        .header("X-RateLimit-Limit", "1");
  }

  @Test
  void invalidLimitsAreRejected() {
    String workspaceId = newSource().workspaceId();
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("eventsPerSecond", 0, "burst", 5))
        .put("/admin/v1/workspaces/{id}/limits", workspaceId)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", is("validation_failed"));
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("eventsPerSecond", 10, "burst", -1))
        .put("/admin/v1/workspaces/{id}/limits", workspaceId)
        .then()
        .statusCode(400);
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("eventsPerSecond", 10))
        .put("/admin/v1/workspaces/{id}/limits", java.util.UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("code", is("not_found"));
  }

  @Test
  void nullLimitsMeanTheServiceDefaults() {
    TestSource source = newSource(1, 1);
    admin()
        .contentType(ContentType.JSON)
        .body("{\"eventsPerSecond\":null,\"burst\":null}")
        .put("/admin/v1/workspaces/{id}/limits", source.workspaceId())
        .then()
        .statusCode(200)
        .body("eventsPerSecond", is(1000))
        .body("burst", is(2000));
  }
}
