package dev.tributary.ingestion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.repository.RequestStatsRepository.MinuteCounts;
import dev.tributary.ingestion.repository.RequestStatsRepository.MinuteStats;
import dev.tributary.ingestion.service.RequestOutcome;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-minute rows are only ever added to: a process that restarts in the middle of a minute, or
 * a second replica, adds its counts to the same row instead of overwriting it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RequestStatsRepositoryTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject RequestStatsRepository repository;

  @Test
  void countsOfTheSameMinuteFromTwoProcessesAddUp() {
    UUID workspace = UUID.randomUUID();
    Instant minute = Instant.parse("2025-03-10T08:15:00Z");

    MinuteCounts beforeRestart = new MinuteCounts(workspace, minute);
    beforeRestart.add(RequestOutcome.ACCEPTED, 10, 0, 5);
    beforeRestart.add(RequestOutcome.REJECTED, 0, 1, 2);
    beforeRestart.add(RequestOutcome.THROTTLED, 0, 0, 1);
    repository.addAll(List.of(beforeRestart)).await().atMost(WAIT);

    MinuteCounts afterRestart = new MinuteCounts(workspace, minute);
    afterRestart.add(RequestOutcome.ACCEPTED, 4, 2, 300);
    afterRestart.add(RequestOutcome.FAILED, 0, 0, 2000);
    repository.addAll(List.of(afterRestart)).await().atMost(WAIT);

    List<MinuteStats> rows =
        repository.range(minute, minute.plusSeconds(60), workspace, 100).await().atMost(WAIT);
    assertEquals(1, rows.size());
    MinuteStats row = rows.get(0);
    assertEquals(workspace, row.workspaceId());
    assertEquals(minute, row.minute());
    assertEquals(5, row.requests());
    assertEquals(14, row.eventsAccepted());
    assertEquals(3, row.eventsRejected());
    assertEquals(1, row.rejected4xx());
    assertEquals(1, row.throttled429());
    assertEquals(1, row.failed5xx());
    assertEquals((5 + 2 + 1 + 300 + 2000) / 5.0, row.latencyAvgMs(), 1e-9);
    assertEquals(2000, row.latencyMaxMs(), 1e-9);
    assertEquals(3, row.latencyLe10Ms());
    assertEquals(3, row.latencyLe50Ms());
    assertEquals(3, row.latencyLe250Ms());
    assertEquals(4, row.latencyLe1000Ms());
  }

  @Test
  void oneCallWritesSeveralWorkspacesAndMinutes() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    Instant m1 = Instant.parse("2025-03-10T09:00:00Z");
    Instant m2 = m1.plusSeconds(60);
    MinuteCounts a1 = new MinuteCounts(a, m1);
    a1.add(RequestOutcome.ACCEPTED, 1, 0, 1);
    MinuteCounts a2 = new MinuteCounts(a, m2);
    a2.add(RequestOutcome.ACCEPTED, 2, 0, 1);
    MinuteCounts b1 = new MinuteCounts(b, m1);
    b1.add(RequestOutcome.REJECTED, 0, 3, 1);
    repository.addAll(List.of(a2, b1, a1)).await().atMost(WAIT);

    List<MinuteStats> aRows = repository.range(m1, m2.plusSeconds(60), a, 100).await().atMost(WAIT);
    assertEquals(List.of(m1, m2), aRows.stream().map(MinuteStats::minute).toList(), "oldest first");
    assertEquals(List.of(1L, 2L), aRows.stream().map(MinuteStats::eventsAccepted).toList());
    List<MinuteStats> onlyFirstMinute = repository.range(m1, m2, a, 100).await().atMost(WAIT);
    assertEquals(1, onlyFirstMinute.size(), "to is exclusive");
    List<MinuteStats> bRows = repository.range(m1, m2.plusSeconds(60), b, 100).await().atMost(WAIT);
    assertEquals(1, bRows.size());
    assertEquals(3, bRows.get(0).eventsRejected());
    List<MinuteStats> both =
        repository.range(m1, m2.plusSeconds(60), null, 100_000).await().atMost(WAIT);
    assertTrue(
        both.stream().anyMatch(r -> r.workspaceId().equals(a))
            && both.stream().anyMatch(r -> r.workspaceId().equals(b)));
  }

  @Test
  void plusMergesCountsInMemory() {
    UUID workspace = UUID.randomUUID();
    Instant minute = Instant.parse("2025-03-10T10:00:00Z");
    MinuteCounts first = new MinuteCounts(workspace, minute);
    first.add(RequestOutcome.ACCEPTED, 5, 0, 20);
    MinuteCounts second = new MinuteCounts(workspace, minute);
    second.add(RequestOutcome.THROTTLED, 0, 0, 700);
    repository.addAll(List.of(first.plus(second))).await().atMost(WAIT);
    MinuteStats row =
        repository.range(minute, minute.plusSeconds(60), workspace, 10).await().atMost(WAIT).get(0);
    assertEquals(2, row.requests());
    assertEquals(5, row.eventsAccepted());
    assertEquals(1, row.throttled429());
    assertEquals(700, row.latencyMaxMs(), 1e-9);
    assertEquals(1, row.latencyLe50Ms());
    assertEquals(2, row.latencyLe1000Ms());
  }
}
