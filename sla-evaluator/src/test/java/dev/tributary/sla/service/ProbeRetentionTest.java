package dev.tributary.sla.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.sla.PlatformStub;
import dev.tributary.sla.Tables;
import dev.tributary.sla.config.TestClock;
import dev.tributary.sla.repository.EvidenceRepository.ProbeRecord;
import dev.tributary.sla.repository.ProbeStore;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probe results are kept 13 months before the current one (and a day), deleted in batches. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class ProbeRetentionTest {

  @Inject TestClock clock;
  @Inject Tables tables;
  @Inject ProbeStore store;
  @Inject ProbeRetention retention;
  @Inject Pool pool;

  @BeforeEach
  void reset() {
    tables.truncateAll();
  }

  @Test
  void resultsBeforeTheLookBackAreDeletedAndTheRestKept() throws Exception {
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    clock.set(now);
    Instant cutoff = retention.cutoff(now);
    assertEquals(Instant.parse("2025-10-31T00:00:00Z"), cutoff, "1 November 2025 minus a day");

    List<ProbeRecord> results = new ArrayList<>();
    // More than one batch (5,000) of old results, and the first minute kept.
    for (int i = 1; i <= 6_000; i++) {
      results.add(probe(cutoff.minus(Duration.ofMinutes(i))));
    }
    results.add(probe(cutoff));
    results.add(probe(now.minus(Duration.ofMinutes(1))));
    store.store(results, now);

    assertEquals(6_000, retention.run());
    assertEquals(List.of(cutoff, now.minus(Duration.ofMinutes(1))), minutes("probe_results"));
    assertEquals(0, retention.run(), "nothing more to delete");
  }

  @Test
  void theCopyOfTheRequestStatisticsGoesWithTheProbes() throws Exception {
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    clock.set(now);
    Instant cutoff = retention.cutoff(now);
    pool.query(
            """
            insert into sla.request_stats (workspace_id, minute, requests, rejected_4xx,
                throttled_429, failed_5xx, collected_at)
            select gen_random_uuid(), '%s'::timestamptz - make_interval(mins => g), 1, 0, 0, 0, now()
            from generate_series(-1, 6000) g
            """
                .formatted(cutoff))
        .execute()
        .await()
        .atMost(Duration.ofSeconds(30));

    assertEquals(6_000, retention.run(), "the 6,000 minutes before the cutoff, in two batches");
    assertEquals(List.of(cutoff, cutoff.plus(Duration.ofMinutes(1))), minutes("request_stats"));
  }

  /** The minutes left in {@code sla.<table>}, in order. */
  private List<Instant> minutes(String table) {
    return pool
        .query("select minute from sla." + table + " order by minute")
        .execute()
        .await()
        .atMost(Duration.ofSeconds(30))
        .stream()
        .map(r -> r.getOffsetDateTime(0).toInstant())
        .toList();
  }

  private static ProbeRecord probe(Instant at) {
    return new ProbeRecord(at, "track", true, 12, "sla-evaluator", 200, null);
  }
}
