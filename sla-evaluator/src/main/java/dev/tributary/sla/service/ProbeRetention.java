package dev.tributary.sla.service;

import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.repository.ProbeStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Deletes probe results older than {@code tributary.sla.retention.probe-results-months} calendar
 * months before the current one, in bounded batches. The evidence must outlive every month until
 * its report is frozen (minutes after its end, {@code close.grace}) and the six months the Special
 * Termination Right looks back on, so fewer than 7 months are refused at startup; the copy of the
 * request statistics ({@code sla.request_stats}) goes with them. Frozen reports keep their figures
 * (and the notices their evidence) and are never deleted.
 */
@ApplicationScoped
public class ProbeRetention {

  /** Batches between two progress lines. */
  private static final int PROGRESS_EVERY = 100;

  private final ProbeStore store;
  private final SlaConfig.Retention config;
  private final Clock clock;
  private final Counter deleted;
  private final Counter statsDeleted;

  ProbeRetention(ProbeStore store, SlaConfig config, Clock clock, MeterRegistry registry) {
    if (config.retention().probeResultsMonths() < 7 || config.retention().deleteBatch() < 1) {
      throw new IllegalStateException(
          "tributary.sla.retention.probe-results-months must be at least 7 (a month until its"
              + " report is frozen plus the six-month termination-right look-back), not "
              + config.retention().probeResultsMonths());
    }
    this.store = store;
    this.config = config.retention();
    this.clock = clock;
    this.deleted =
        Counter.builder("tributary.sla.retention.deleted.rows")
            .description("Probe results deleted after their retention")
            .tag("table", "probe_results")
            .register(registry);
    this.statsDeleted =
        Counter.builder("tributary.sla.retention.deleted.rows")
            .description("Rows of the copy of the request statistics deleted after their retention")
            .tag("table", "request_stats")
            .register(registry);
  }

  @Scheduled(
      every = "${tributary.sla.retention.every:1h}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "probe-retention")
  void scheduled() {
    try {
      run();
    } catch (SQLException | RuntimeException e) {
      Log.warnf("probe retention did not finish, retried in %s: %s", config.every(), e.toString());
    }
  }

  /**
   * Deletes the probe results and the request statistics before {@link #cutoff}; answers how many
   * rows.
   */
  public long run() throws SQLException {
    Instant cutoff = cutoff(clock.instant());
    return deleteInBatches("probe results", cutoff, store::deleteBefore, deleted)
        + deleteInBatches(
            "request-stats rows", cutoff, store::deleteRequestStatsBefore, statsDeleted);
  }

  /** One delete of at most {@code batch} rows before {@code before}. */
  @FunctionalInterface
  private interface BatchDelete {
    int delete(Instant before, int batch) throws SQLException;
  }

  private long deleteInBatches(String what, Instant cutoff, BatchDelete delete, Counter counter)
      throws SQLException {
    long total = 0;
    int batches = 0;
    int last;
    do {
      last = delete.delete(cutoff, config.deleteBatch());
      total += last;
      counter.increment(last);
      if (++batches % PROGRESS_EVERY == 0) {
        Log.infof("probe retention: %d %s before %s deleted so far", total, what, cutoff);
      }
    } while (last >= config.deleteBatch());
    if (total > 0) {
      Log.infof("probe retention: deleted %d %s before %s", total, what, cutoff);
    }
    return total;
  }

  /**
   * The first minute kept: the start of the UTC month {@code probe-results-months} before the
   * current one, a day earlier still so that the month is whole in every contract time zone.
   */
  public Instant cutoff(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC)
        .withDayOfMonth(1)
        .minusMonths(config.probeResultsMonths())
        .minusDays(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }
}
