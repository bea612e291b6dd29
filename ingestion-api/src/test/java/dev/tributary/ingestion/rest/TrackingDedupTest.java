package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.onlyEvent;
import static dev.tributary.ingestion.Accounts.payload;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A messageId the source already sent is acknowledged again but stored once. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingDedupTest {

  @Test
  void theSameMessageIdTwiceOnOneSourceIsAcknowledgedTwiceAndStoredOnce() {
    TestSource source = newSource();
    Map<String, Object> first = validEvent("track", "retry-me");
    Map<String, Object> retry = validEvent("track", "retry-me");
    ((Map<String, Object>) retry).put("event", "Changed On Retry");

    tracking(source.writeKey())
        .body(first)
        .post("/v1/track")
        .then()
        .statusCode(200)
        .body(equalTo("{\"success\":true}"));
    tracking(source.writeKey())
        .body(retry)
        .post("/v1/track")
        .then()
        .statusCode(200)
        .body(equalTo("{\"success\":true}"));

    Map<String, Object> stored = onlyEvent(source.sourceId());
    assertEquals("retry-me", stored.get("messageId"));
    assertEquals("Order Completed", payload(stored).get("event"), "the first copy is kept");
  }

  @Test
  void aRetriedBatchIsStoredOnce() {
    TestSource source = newSource();
    List<Map<String, Object>> batch =
        List.of(batchItem("track", "b-1"), batchItem("identify", "b-2"));
    tracking(source.writeKey())
        .body(Map.of("batch", batch))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    tracking(source.writeKey())
        .body(Map.of("batch", batch))
        .post("/v1/import")
        .then()
        .statusCode(200);
    tracking(source.writeKey()).body(batch.get(0)).post("/v1/track").then().statusCode(200);
    assertEquals(
        Set.of("b-1", "b-2"),
        events(source.sourceId()).stream()
            .map(e -> e.get("messageId"))
            .collect(Collectors.toSet()));
    assertEquals(2, events(source.sourceId()).size());
  }

  @Test
  void duplicatesInsideOneBatchAreStoredOnce() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(
            Map.of(
                "batch",
                List.of(
                    batchItem("track", "dup"),
                    batchItem("track", "dup"),
                    batchItem("page", "other"))))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    assertEquals(2, events(source.sourceId()).size());
  }

  @Test
  void concurrentRetriesOfOneMessageIdAreStoredOnce() throws Exception {
    TestSource source = newSource();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () ->
                    tracking(source.writeKey())
                        .body(validEvent("track", "raced"))
                        .post("/v1/track")
                        .statusCode(),
                pool));
      }
      for (CompletableFuture<Integer> call : calls) {
        assertEquals(200, call.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals("raced", onlyEvent(source.sourceId()).get("messageId"));
  }

  @Test
  void theSameMessageIdOnTwoSourcesIsStoredTwice() {
    TestSource a = newSource();
    TestSource b = createSource(a.workspaceId());
    TestSource otherWorkspace = newSource();
    for (TestSource source : List.of(a, b, otherWorkspace)) {
      tracking(source.writeKey())
          .body(validEvent("track", "shared-id"))
          .post("/v1/track")
          .then()
          .statusCode(200);
    }
    for (TestSource source : List.of(a, b, otherWorkspace)) {
      assertEquals("shared-id", onlyEvent(source.sourceId()).get("messageId"));
    }
  }

  @Test
  void aMissingMessageIdIsGeneratedAsAUuid() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(200);
    Map<String, Object> event = validEvent("track", null);
    event.put("messageId", "");
    tracking(source.writeKey()).body(event).post("/v1/track").then().statusCode(200);
    Map<String, Object> nullId = validEvent("track", null);
    nullId.put("messageId", null);
    tracking(source.writeKey()).body(nullId).post("/v1/track").then().statusCode(200);

    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(3, stored.size(), "no messageId: never deduplicated against each other");
    Set<Object> ids = new java.util.HashSet<>();
    for (Map<String, Object> e : stored) {
      String id = (String) e.get("messageId");
      assertEquals(id, UUID.fromString(id).toString(), "a UUID: " + id);
      assertEquals(id, payload(e).get("messageId"));
      ids.add(id);
    }
    assertEquals(3, ids.size());
  }

  @Test
  void generatedMessageIdsDifferPerBatchItem() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(Map.of("batch", List.of(batchItem("track", null), batchItem("track", null))))
        .post("/v1/batch")
        .then()
        .statusCode(200);
    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(2, stored.size());
    assertNotEquals(stored.get(0).get("messageId"), stored.get(1).get("messageId"));
    assertTrue(stored.stream().allMatch(e -> UUID.fromString((String) e.get("messageId")) != null));
  }
}
