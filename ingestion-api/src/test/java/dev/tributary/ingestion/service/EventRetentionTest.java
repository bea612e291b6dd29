package dev.tributary.ingestion.service;

import static dev.tributary.ingestion.Accounts.admin;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.config.TestRetention;
import dev.tributary.ingestion.repository.EventWriter;
import dev.tributary.ingestion.repository.RetentionRepository;
import dev.tributary.ingestion.repository.RetentionRepository.Partition;
import dev.tributary.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The retention job against PostgreSQL, each test with its own clock and settings (the service's
 * own job runs on the system clock; these tests stay clear of what it would touch).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class EventRetentionTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  @Inject RetentionRepository repository;
  @Inject EventWriter writer;
  @Inject Pool pool;

  private SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private EventRetention job(Instant now, TestRetention settings) {
    return new EventRetention(repository, settings, Clock.fixed(now, ZoneOffset.UTC), registry);
  }

  @Test
  void partitionsAreCreatedAheadOfTheClockAndEventsLandInTheirDay() {
    Instant now = Instant.now().plus(Duration.ofDays(30));
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    EventRetention job = job(now, TestRetention.defaults(100));

    assertEquals(8, job.ensurePartitions().await().atMost(WAIT), "today and the 7 days ahead");
    Set<String> names = partitionNames();
    for (int d = 0; d <= 7; d++) {
      assertTrue(names.contains(dayPartition(today.plusDays(d))), names.toString());
    }
    assertTrue(!names.contains(dayPartition(today.plusDays(8))), "not further than 7 days ahead");
    assertEquals(0, job.ensurePartitions().await().atMost(WAIT), "a second run creates none");

    UUID source = UUID.randomUUID();
    Instant receivedAt = today.plusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
    Uni.createFrom()
        .completionStage(writer.write(List.of(row(source, "ahead", receivedAt))))
        .await()
        .atMost(WAIT);
    assertEquals(
        "ingestion." + dayPartition(today.plusDays(1)),
        pool.preparedQuery(
                "select tableoid::regclass::text from ingestion.events where source_id = $1")
            .execute(Tuple.of(source))
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getString(0));
  }

  @Test
  void aShorterRetentionDeletesThatWorkspacesOldEventsInBatchesAndKeepsTheOthers() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    TestSource shortLived = Accounts.newSource();
    TestSource defaultRetention = Accounts.newSource();
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("retentionDays", 3))
        .put("/admin/v1/workspaces/{id}/retention", shortLived.workspaceId())
        .then()
        .statusCode(200)
        .body("retentionDays", is(3));
    for (TestSource source : List.of(shortLived, defaultRetention)) {
      List<EventRow> rows = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        rows.add(row(source, "old-" + i, now.minus(Duration.ofDays(4)).minusSeconds(i)));
      }
      rows.add(row(source, "recent-1", now.minus(Duration.ofDays(2))));
      rows.add(row(source, "recent-2", now.minus(Duration.ofHours(1))));
      Uni.createFrom().completionStage(writer.write(rows)).await().atMost(WAIT);
    }

    // Two rows per statement: the seven old events take at least four deletes.
    long deleted =
        job(now, TestRetention.defaults(2)).deleteExpiredEvents(now).await().atMost(WAIT);

    assertTrue(deleted >= 7, "deleted " + deleted);
    assertEquals(Set.of("recent-1", "recent-2"), messageIds(shortLived));
    assertEquals(9, messageIds(defaultRetention).size(), "the default (90 days) keeps them all");
    assertTrue(
        registry.counter("tributary.ingestion.retention.deleted.rows", "table", "events").count()
            >= 7);
  }

  @Test
  void dedupEntriesOlderThanTheWindowAreDeletedSoOnlyThoseRetriesAreStoredAgain() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    UUID source = UUID.randomUUID();
    Uni.createFrom()
        .completionStage(
            writer.write(
                List.of(
                    row(source, "outside-window", now.minus(Duration.ofHours(49))),
                    row(source, "inside-window", now.minus(Duration.ofHours(47))))))
        .await()
        .atMost(WAIT);

    EventRetention.Run run = job(now, TestRetention.defaults(1)).run().await().atMost(WAIT);
    assertTrue(run.dedupEntriesDeleted() >= 1, run.toString());

    Uni.createFrom()
        .completionStage(
            writer.write(
                List.of(row(source, "outside-window", now), row(source, "inside-window", now))))
        .await()
        .atMost(WAIT);
    assertEquals(
        Map.of("outside-window", 2L, "inside-window", 1L),
        pool
            .preparedQuery(
                "select message_id, count(*) from ingestion.events where source_id = $1 group by 1")
            .execute(Tuple.of(source))
            .await()
            .atMost(WAIT)
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1))));
  }

  @Test
  void requestStatsAreKeptThirteenMonthsBeforeTheCurrentOneAndAWholeDayMore() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z").plus(Duration.ofDays(1)); // 2 December
    EventRetention job = job(now, TestRetention.defaults(1));
    Instant cutoff = job.requestStatsCutoff(now);
    assertEquals(Instant.parse("2025-10-31T00:00:00Z"), cutoff, "1 November 2025 minus a day");

    UUID workspace = UUID.randomUUID();
    for (Instant minute : List.of(cutoff.minusSeconds(60), cutoff.minusSeconds(120), cutoff)) {
      pool.preparedQuery(
              "insert into ingestion.request_stats (workspace_id, minute, requests) values ($1, $2, 1)")
          .execute(Tuple.of(workspace, minute.atOffset(ZoneOffset.UTC)))
          .await()
          .atMost(WAIT);
    }
    EventRetention.Run run = job.run().await().atMost(WAIT);

    assertTrue(run.requestStatsDeleted() >= 2, run.toString());
    assertEquals(
        List.of(cutoff),
        pool
            .preparedQuery("select minute from ingestion.request_stats where workspace_id = $1")
            .execute(Tuple.of(workspace))
            .await()
            .atMost(WAIT)
            .stream()
            .map(r -> r.getOffsetDateTime(0).toInstant())
            .toList());
  }

  @Test
  void settingsThatBreakAPromiseAreRefused() {
    TestRetention defaults = TestRetention.defaults(100);
    EventRetention.validate(defaults);
    IllegalStateException months =
        assertThrows(
            IllegalStateException.class,
            () -> EventRetention.validate(defaults.withRequestStatsMonths(6)));
    assertTrue(months.getMessage().contains("at least 7"), months.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> EventRetention.validate(defaults.withDedupWindow(Duration.ofHours(23))));
  }

  private Set<String> partitionNames() {
    return repository.partitions().await().atMost(WAIT).stream()
        .map(Partition::name)
        .collect(Collectors.toSet());
  }

  private Set<String> messageIds(TestSource source) {
    return pool
        .preparedQuery("select message_id from ingestion.events where source_id = $1")
        .execute(Tuple.of(UUID.fromString(source.sourceId())))
        .await()
        .atMost(WAIT)
        .stream()
        .map(r -> r.getString(0))
        .collect(Collectors.toSet());
  }

  static String dayPartition(LocalDate day) {
    return "events_p" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
  }

  static EventRow row(TestSource source, String messageId, Instant receivedAt) {
    return row(
        UUID.fromString(source.sourceId()),
        UUID.fromString(source.workspaceId()),
        messageId,
        receivedAt);
  }

  static EventRow row(UUID source, String messageId, Instant receivedAt) {
    return row(source, UUID.randomUUID(), messageId, receivedAt);
  }

  static EventRow row(UUID source, UUID workspace, String messageId, Instant receivedAt) {
    return new EventRow(
        source,
        messageId,
        workspace,
        "track",
        receivedAt,
        receivedAt,
        ("{\"type\":\"track\",\"messageId\":\""
                + messageId
                + "\",\"event\":\"e\",\"userId\":\"u\"}")
            .getBytes(StandardCharsets.UTF_8));
  }
}
