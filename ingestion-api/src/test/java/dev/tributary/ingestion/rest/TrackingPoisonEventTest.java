package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Valid JSON that PostgreSQL cannot store as is: a NUL character ({@code \u0000}) in a string. It
 * is the client's input, so it must never become a 5xx (which the SLA counts against the platform,
 * and which Segment libraries retry forever), and it must not take other events down with it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingPoisonEventTest {

  /** A JSON string escape for NUL, as JSON text (backslash, u, 0000). */
  static final String NUL = "\\u0000";

  @Test
  void aNulCharacterInAPropertyIsNotAServerError() {
    TestSource source = newSource();
    Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    ExtractableResponse<Response> response =
        tracking(source.writeKey())
            .body(
                "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"nul-prop\",\"properties\":{\"x\":\"a"
                    + NUL
                    + "b\"}}")
            .post("/v1/track")
            .then()
            .statusCode(400)
            .body("code", is("invalid_character"))
            .extract();
    assertTrue(events(source.sourceId()).isEmpty(), response.asString());
    // The client's bad input is not a platform failure in the SLA statistics.
    Instant to = from.plus(Duration.ofMinutes(2));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertEquals(
                    1,
                    RequestStatsResourceTest.totals(
                            RequestStatsResourceTest.rows(
                                SERVICE_TOKEN, from, to, source.workspaceId()))
                        .requests()));
    assertEquals(
        0,
        RequestStatsResourceTest.totals(
                RequestStatsResourceTest.rows(SERVICE_TOKEN, from, to, source.workspaceId()))
            .failed5xx());
  }

  @Test
  void aNulCharacterInTheMessageIdIsNotAServerError() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body("{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"id" + NUL + "\"}")
        .post("/v1/track")
        .then()
        .statusCode(400)
        .body("code", is("invalid_character"));
  }

  @Test
  void aNulCharacterInOneBatchItemDoesNotLoseTheOthers() {
    TestSource source = newSource();
    String body =
        "{\"batch\":["
            + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"neighbour-1\"},"
            + "{\"type\":\"identify\",\"userId\":\"u"
            + NUL
            + "\",\"messageId\":\"poisoned\"},"
            + "{\"type\":\"page\",\"userId\":\"u\",\"messageId\":\"neighbour-2\"}"
            + "]}";
    tracking(source.writeKey())
        .body(body)
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("success", is(true))
        .body("rejected.index", contains(1))
        .body("rejected.reason", contains("invalid_character"));
    Set<String> stored = ids(source);
    assertTrue(
        stored.containsAll(Set.of("neighbour-1", "neighbour-2")),
        "the valid items are stored: " + stored);
  }

  @Test
  void anotherWorkspacesPoisonedEventsDoNotFailMyRequests() throws Exception {
    TestSource mine = newSource();
    TestSource theirs = newSource();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Integer>> myCalls = new ArrayList<>();
    List<CompletableFuture<Integer>> theirCalls = new ArrayList<>();
    try {
      for (int t = 0; t < 4; t++) {
        int thread = t;
        myCalls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  int failures = 0;
                  for (int i = 0; i < 50; i++) {
                    int status =
                        tracking(mine.writeKey())
                            .body(
                                Map.of(
                                    "userId",
                                    "u",
                                    "event",
                                    "e",
                                    "messageId",
                                    "mine-" + thread + "-" + i))
                            .post("/v1/track")
                            .statusCode();
                    failures += status == 200 ? 0 : 1;
                  }
                  return failures;
                },
                pool));
        theirCalls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    tracking(theirs.writeKey())
                        .body(
                            "{\"userId\":\"u\",\"event\":\"e\",\"properties\":{\"x\":\""
                                + NUL
                                + "\"}}")
                        .post("/v1/track")
                        .statusCode();
                  }
                  return 0;
                },
                pool));
      }
      int myFailures = 0;
      for (CompletableFuture<Integer> call : myCalls) {
        myFailures += call.get();
      }
      for (CompletableFuture<Integer> call : theirCalls) {
        call.get();
      }
      assertEquals(
          0,
          myFailures,
          "my valid events failed because another workspace's events shared their commit");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, events(mine.sourceId()).size());
  }

  private static Set<String> ids(TestSource source) {
    return events(source.sourceId()).stream()
        .map(e -> (String) e.get("messageId"))
        .collect(Collectors.toSet());
  }
}
