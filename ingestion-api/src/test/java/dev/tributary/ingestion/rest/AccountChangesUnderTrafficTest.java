package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.createWorkspace;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Revoking a key or changing limits while the key is in use: once the admin call has answered, the
 * next request on this replica must see the change (the service documents that a revocation clears
 * this replica's key cache at once).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AccountChangesUnderTrafficTest {

  static final int TRIALS = 10;

  @TestHTTPResource("/v1/track")
  URL track;

  /** Sends valid events with {@code writeKey} from a few threads until stopped. */
  private final class Traffic implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final List<Future<?>> loops = new ArrayList<>();

    Traffic(String writeKey) throws Exception {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(track.toString()))
              .header("Content-Type", "application/json")
              .header("Authorization", basic(writeKey, true))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"userId\":\"u\",\"event\":\"background\"}"))
              .build();
      for (int i = 0; i < 4; i++) {
        loops.add(
            threads.submit(
                () -> {
                  while (running.get()) {
                    client.send(request, HttpResponse.BodyHandlers.discarding());
                    sent.incrementAndGet();
                  }
                  return null;
                }));
      }
      // Wait until the traffic really flows (the key is cached by then).
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> sent.get() >= 8);
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      for (Future<?> loop : loops) {
        loop.get();
      }
      threads.shutdownNow();
    }
  }

  @Test
  void aRevokedKeyIsRefusedAsSoonAsTheRevocationHasAnswered() throws Exception {
    String workspaceId = createWorkspace(1_000_000, 1_000_000);
    for (int trial = 0; trial < TRIALS; trial++) {
      TestSource source = createSource(workspaceId);
      try (Traffic traffic = new Traffic(source.writeKey())) {
        admin().delete("/admin/v1/sources/{id}", source.sourceId()).then().statusCode(200);
        int status =
            tracking(source.writeKey())
                .body(validEvent("track", "after-revocation"))
                .post("/v1/track")
                .statusCode();
        assertEquals(
            401, status, "trial " + trial + ": the revoked key still works after DELETE answered");
      }
    }
  }

  @Test
  void newLimitsApplyAsSoonAsTheUpdateHasAnswered() throws Exception {
    for (int trial = 0; trial < TRIALS; trial++) {
      String workspaceId = createWorkspace(1, 5);
      TestSource source = createSource(workspaceId);
      try (Traffic traffic = new Traffic(source.writeKey())) {
        admin()
            .contentType(ContentType.JSON)
            .body(Map.of("eventsPerSecond", 1_000_000, "burst", 1_000_000))
            .put("/admin/v1/workspaces/{id}/limits", workspaceId)
            .then()
            .statusCode(200);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          batch.add(Map.of("type", "track", "userId", "u", "event", "after-update"));
        }
        int status =
            tracking(source.writeKey()).body(Map.of("batch", batch)).post("/v1/batch").statusCode();
        assertEquals(
            200,
            status,
            "trial " + trial + ": the old limit (1/s, burst 5) still applies after PUT answered");
      }
    }
  }
}
