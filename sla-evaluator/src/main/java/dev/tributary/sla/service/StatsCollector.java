package dev.tributary.sla.service;

import dev.tributary.sla.client.IngestionApi;
import dev.tributary.sla.client.IngestionApiClient.MinuteStats;
import dev.tributary.sla.repository.EvidenceRepository;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Copies ingestion-api's per-workspace, per-minute request statistics every minute. Each round
 * reads again the last minutes (ingestion-api adds to a minute for up to a flush interval after it
 * ends, and replicas flush independently); after a pause it catches up from the last copied minute,
 * at most 31 days back (also on the very first start). Rows are read in pages of {@link
 * IngestionApi#STATS_PAGE}, each stored before the next is asked for.
 */
@ApplicationScoped
public class StatsCollector {

  static final Duration REREAD = Duration.ofMinutes(10);
  static final Duration MAX_CATCH_UP = Duration.ofDays(31);

  private final IngestionApi ingestionApi;
  private final EvidenceRepository evidence;
  private final Clock clock;

  StatsCollector(IngestionApi ingestionApi, EvidenceRepository evidence, Clock clock) {
    this.ingestionApi = ingestionApi;
    this.evidence = evidence;
    this.clock = clock;
  }

  @Scheduled(
      cron = "30 * * * * ?",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "collect-request-stats")
  Uni<Void> scheduled() {
    return collectOnce()
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf("request statistics not collected this minute: %s", failure.toString());
              return 0;
            })
        .replaceWithVoid();
  }

  /** One collection round; answers how many rows were copied. */
  public Uni<Integer> collectOnce() {
    Instant now = clock.instant();
    Instant to = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    return evidence
        .latestStatsMinute()
        .flatMap(
            latest -> {
              Instant oldest = now.minus(MAX_CATCH_UP).truncatedTo(ChronoUnit.MINUTES);
              Instant reread = now.minus(REREAD).truncatedTo(ChronoUnit.MINUTES);
              Instant from = latest.map(l -> l.isBefore(reread) ? l : reread).orElse(oldest);
              if (from.isBefore(oldest)) {
                from = oldest;
              }
              return copy(from, to, null, 0);
            });
  }

  /** Copies the pages after {@code last} (null: from the first); answers the rows copied. */
  private Uni<Integer> copy(Instant from, Instant to, MinuteStats last, int copied) {
    return ingestionApi
        .requestStats(from, to, last)
        .flatMap(
            rows ->
                evidence
                    .putRequestStats(rows, clock.instant())
                    .flatMap(
                        ignored ->
                            rows.size() < IngestionApi.STATS_PAGE
                                ? Uni.createFrom().item(copied + rows.size())
                                : copy(from, to, rows.get(rows.size() - 1), copied + rows.size())));
  }
}
