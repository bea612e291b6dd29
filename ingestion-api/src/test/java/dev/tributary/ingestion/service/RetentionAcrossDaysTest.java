package dev.tributary.ingestion.service;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static dev.tributary.ingestion.service.EventRetentionTest.dayPartition;
import static dev.tributary.ingestion.service.EventRetentionTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.config.SettableClockProfile;
import dev.tributary.ingestion.config.TestClock;
import dev.tributary.ingestion.repository.EventWriter;
import dev.tributary.ingestion.repository.RetentionRepository;
import dev.tributary.ingestion.repository.RetentionRepository.Partition;
import dev.tributary.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service on a settable clock: deduplication across midnight through the Tracking API and under
 * concurrent flushes, then partitions dropped once every workspace is past retention (the last
 * test: it drops every partition of the days before).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(SettableClockProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionAcrossDaysTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  @Inject TestClock clock;
  @Inject EventRetention retention;
  @Inject RetentionRepository repository;
  @Inject EventWriter writer;
  @Inject Pool pool;
  @Inject IngestionConfig config;
  @Inject Vertx vertx;

  /** Tomorrow (UTC): its partition and the next day's exist from the migration on. */
  private static LocalDate tomorrow() {
    return LocalDate.now(ZoneOffset.UTC).plusDays(1);
  }

  @Test
  @Order(1)
  void aRetryAfterMidnightIsStoredOnce() {
    TestSource source = Accounts.newSource();
    Instant beforeMidnight = tomorrow().atTime(23, 59, 59).toInstant(ZoneOffset.UTC);
    Instant afterMidnight =
        tomorrow().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(1);

    clock.set(beforeMidnight);
    send(source, "retried");
    clock.set(afterMidnight);
    send(source, "retried");
    send(source, "new-after-midnight");

    Map<String, List<Row>> stored =
        pool
            .preparedQuery(
                "select message_id, received_at, tableoid::regclass::text from ingestion.events"
                    + " where source_id = $1")
            .execute(Tuple.of(UUID.fromString(source.sourceId())))
            .await()
            .atMost(WAIT)
            .stream()
            .collect(Collectors.groupingBy(r -> r.getString(0)));
    assertEquals(1, stored.get("retried").size(), "stored once");
    Row retried = stored.get("retried").get(0);
    assertEquals(beforeMidnight, retried.getOffsetDateTime(1).toInstant(), "the first copy");
    assertEquals("ingestion." + dayPartition(tomorrow()), retried.getString(2));
    assertEquals(
        "ingestion." + dayPartition(tomorrow().plusDays(1)),
        stored.get("new-after-midnight").get(0).getString(2),
        "the retry fell on the next day's partition");
  }

  @Test
  @Order(2)
  void concurrentDuplicateFlushesAcrossMidnightStoreOnce() {
    UUID source = UUID.randomUUID();
    Instant beforeMidnight = tomorrow().atTime(23, 59, 59).toInstant(ZoneOffset.UTC);
    Instant afterMidnight = beforeMidnight.plusSeconds(2);
    // Two writers: two independent group commits, so the copies meet in concurrent statements.
    EventWriter first = new EventWriter(pool, vertx, config, new SimpleMeterRegistry());
    EventWriter second = new EventWriter(pool, vertx, config, new SimpleMeterRegistry());
    List<Uni<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(
          Uni.createFrom()
              .completionStage(first.write(List.of(row(source, "m-" + i, beforeMidnight)))));
      writes.add(
          Uni.createFrom()
              .completionStage(second.write(List.of(row(source, "m-" + i, afterMidnight)))));
    }
    Uni.join().all(writes).andFailFast().await().atMost(WAIT);

    List<Row> counts =
        pool
            .preparedQuery(
                "select count(*), count(distinct message_id) from ingestion.events where source_id = $1")
            .execute(Tuple.of(source))
            .await()
            .atMost(WAIT)
            .stream()
            .toList();
    assertEquals(200L, counts.get(0).getLong(0), "one row per messageId");
    assertEquals(200L, counts.get(0).getLong(1));
  }

  @Test
  @Order(3)
  void partitionsAreDroppedOnlyOnceEveryWorkspaceIsPastItsRetention() {
    LocalDate day0 = LocalDate.now(ZoneOffset.UTC).plusDays(40);
    Instant base = day0.atTime(6, 0).toInstant(ZoneOffset.UTC);
    clock.set(base);
    retention.run().await().atMost(WAIT);
    assertTrue(partitionNames().contains(dayPartition(day0.plusDays(7))), "created ahead");

    TestSource shortLived = Accounts.newSource(); // the default: 2 days
    TestSource longLived = Accounts.newSource();
    Instant day1Noon = day0.plusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
    Instant day2Noon = day1Noon.plus(Duration.ofDays(1));
    Uni.createFrom()
        .completionStage(
            writer.write(
                List.of(
                    row(shortLived, "day1", day1Noon),
                    row(shortLived, "day2", day2Noon),
                    row(longLived, "day2", day2Noon))))
        .await()
        .atMost(WAIT);

    // Four days on, with every workspace at 2 days: the partitions up to day 1 go.
    clock.set(base.plus(Duration.ofDays(4)));
    EventRetention.Run run = retention.run().await().atMost(WAIT);
    Set<String> names = partitionNames();
    assertTrue(run.partitionsDropped() >= 2, run.toString());
    assertFalse(names.contains(dayPartition(day0)), names.toString());
    assertFalse(names.contains(dayPartition(day0.plusDays(1))), names.toString());
    assertFalse(names.contains("events_before_partitioning"), names.toString());
    assertTrue(names.contains(dayPartition(day0.plusDays(2))), "day 2 is not past 2 days yet");
    assertTrue(names.contains(dayPartition(day0.plusDays(4 + 7))), "and created ahead");
    assertTrue(names.contains("events_default"), "the default partition is never dropped");
    assertEquals(Set.of("day2"), messageIds(shortLived));

    // One workspace keeps 5 days: day 2 stays for it, the other workspace's event there goes.
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("retentionDays", 5))
        .put("/admin/v1/workspaces/{id}/retention", longLived.workspaceId())
        .then()
        .statusCode(200);
    clock.set(base.plus(Duration.ofDays(5)));
    run = retention.run().await().atMost(WAIT);
    assertTrue(partitionNames().contains(dayPartition(day0.plusDays(2))), run.toString());
    assertEquals(Set.of(), messageIds(shortLived), "past its 2 days, deleted in its partition");
    assertEquals(Set.of("day2"), messageIds(longLived), "within its 5 days");
    assertTrue(run.eventsDeleted() >= 1, run.toString());
  }

  private void send(TestSource source, String messageId) {
    tracking(source.writeKey())
        .body(validEvent("track", messageId))
        .post("/v1/track")
        .then()
        .statusCode(200);
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
}
