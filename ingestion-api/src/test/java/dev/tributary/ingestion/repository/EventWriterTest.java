package dev.tributary.ingestion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.repository.EventRepository.StoredEvent;
import dev.tributary.ingestion.service.EventRow;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The group-commit writer: a write completes once its rows are committed; duplicates are dropped.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class EventWriterTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject EventWriter writer;
  @Inject EventRepository events;

  static EventRow row(UUID source, String messageId, Instant receivedAt) {
    return new EventRow(
        source,
        messageId,
        UUID.randomUUID(),
        "track",
        receivedAt,
        receivedAt,
        ("{\"type\":\"track\",\"messageId\":\""
                + messageId
                + "\",\"event\":\"e\",\"userId\":\"u\"}")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCompletedWriteIsReadableAtOnce() {
    UUID source = UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Uni.createFrom()
        .completionStage(writer.write(List.of(row(source, "w-1", now), row(source, "w-2", now))))
        .await()
        .atMost(WAIT);
    List<StoredEvent> stored = events.recent(source, 10).await().atMost(WAIT);
    assertEquals(
        Set.of("w-1", "w-2"),
        stored.stream().map(StoredEvent::messageId).collect(Collectors.toSet()));
    StoredEvent first =
        stored.stream().filter(e -> e.messageId().equals("w-1")).findFirst().orElseThrow();
    assertEquals(now, first.receivedAt());
    assertEquals(now, first.timestamp());
    assertEquals("track", first.type());
    assertTrue(first.payload().contains("\"w-1\""), first.payload());
  }

  @Test
  void aRewriteOfTheSameMessageIdKeepsTheFirstRow() {
    UUID source = UUID.randomUUID();
    Instant first = Instant.parse("2025-01-01T00:00:00Z");
    Uni.createFrom()
        .completionStage(writer.write(List.of(row(source, "dup", first))))
        .await()
        .atMost(WAIT);
    Uni.createFrom()
        .completionStage(
            writer.write(
                List.of(row(source, "dup", first.plusSeconds(60)), row(source, "new", first))))
        .await()
        .atMost(WAIT);
    List<StoredEvent> stored = events.recent(source, 10).await().atMost(WAIT);
    assertEquals(2, stored.size());
    StoredEvent dup =
        stored.stream().filter(e -> e.messageId().equals("dup")).findFirst().orElseThrow();
    assertEquals(first, dup.receivedAt(), "the first copy is kept");
  }

  @Test
  void manyConcurrentWritesAllCommit() {
    UUID source = UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<Uni<Void>> writes = new ArrayList<>();
    for (int w = 0; w < 40; w++) {
      List<EventRow> rows = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        rows.add(row(source, "c-" + w + "-" + i, now));
      }
      // Overlapping messageIds between concurrent writes: still one row each.
      rows.add(row(source, "shared-" + (w % 5), now));
      writes.add(Uni.createFrom().completionStage(writer.write(rows)));
    }
    Uni.join().all(writes).andFailFast().await().atMost(WAIT);
    assertEquals(40 * 25 + 5, events.recent(source, 5000).await().atMost(WAIT).size());
    assertEquals(0, writer.pendingEvents(), "nothing left waiting");
  }

  @Test
  void exportRangeIsOldestFirstAndHalfOpen() {
    UUID source = UUID.randomUUID();
    Instant t0 = Instant.parse("2025-02-01T00:00:00Z");
    List<EventRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(row(source, "r-" + i, t0.plusSeconds(i)));
    }
    Uni.createFrom().completionStage(writer.write(rows)).await().atMost(WAIT);
    List<String> ids =
        events
            .range(source, t0.plusSeconds(1), t0.plusSeconds(4))
            .collect()
            .asList()
            .await()
            .atMost(WAIT)
            .stream()
            .map(StoredEvent::messageId)
            .toList();
    assertEquals(List.of("r-1", "r-2", "r-3"), ids);
  }
}
