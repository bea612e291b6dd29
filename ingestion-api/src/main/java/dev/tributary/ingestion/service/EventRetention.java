package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.repository.RetentionRepository;
import dev.tributary.ingestion.repository.RetentionRepository.Partition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The data lifecycle of ingestion-api's own tables (README "Retention"): day partitions of {@code
 * ingestion.events} created {@code partitions-ahead} days ahead and dropped once every workspace is
 * past retention for them; events of workspaces with a shorter retention deleted in bounded
 * batches; deduplication entries older than the dedup window and request statistics older than
 * {@code request-stats-months} deleted the same way. Runs at startup (so an insert never finds its
 * day missing) and every {@code every}; several replicas may run it at once (the DDL is serialised
 * by an advisory lock, a row deleted twice is deleted once). "Now" is the injected {@link Clock}.
 */
@ApplicationScoped
public class EventRetention {

  /** What one run did. */
  public record Run(
      int partitionsCreated,
      int partitionsDropped,
      long eventsDeleted,
      long dedupEntriesDeleted,
      long requestStatsDeleted) {}

  /** Batches between two progress lines of a long delete. */
  private static final int PROGRESS_EVERY = 100;

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  private final RetentionRepository repository;
  private final IngestionConfig.Retention config;
  private final Clock clock;
  private final AtomicLong partitions = new AtomicLong();
  private final AtomicLong defaultPartitionRows = new AtomicLong();
  private final AtomicLong lastSuccess = new AtomicLong();
  private final Counter eventsDeleted;
  private final Counter dedupDeleted;
  private final Counter statsDeleted;
  private final Counter partitionsDropped;

  @Inject
  public EventRetention(
      RetentionRepository repository, IngestionConfig config, Clock clock, MeterRegistry registry) {
    this(repository, config.retention(), clock, registry);
  }

  /** Tests run it with their own clock and settings. */
  public EventRetention(
      RetentionRepository repository,
      IngestionConfig.Retention config,
      Clock clock,
      MeterRegistry registry) {
    validate(config);
    this.repository = repository;
    this.config = config;
    this.clock = clock;
    Gauge.builder("tributary.ingestion.events.partitions", partitions, AtomicLong::get)
        .description("Partitions of ingestion.events (the default partition included)")
        .register(registry);
    Gauge.builder(
            "tributary.ingestion.events.default.partition.rows",
            defaultPartitionRows,
            AtomicLong::get)
        .description("Events in the default partition (a day without its partition): normally 0")
        .register(registry);
    Gauge.builder("tributary.ingestion.retention.last.success", lastSuccess, AtomicLong::get)
        .description("When the retention job last completed, in seconds since the epoch")
        .register(registry);
    eventsDeleted = deleted(registry, "events");
    dedupDeleted = deleted(registry, "event_dedup");
    statsDeleted = deleted(registry, "request_stats");
    partitionsDropped =
        Counter.builder("tributary.ingestion.retention.partitions.dropped")
            .description("Day partitions of ingestion.events dropped after retention")
            .register(registry);
  }

  private static Counter deleted(MeterRegistry registry, String table) {
    return Counter.builder("tributary.ingestion.retention.deleted.rows")
        .description("Rows deleted by the retention job")
        .tag("table", table)
        .register(registry);
  }

  /** Refuses settings that would break a promise: the dedup window, the SLA's evidence. */
  static void validate(IngestionConfig.Retention config) {
    if (config.defaultDays() < 1 || config.defaultDays() > config.maxDays()) {
      throw new IllegalStateException(
          "tributary.ingestion.retention.default-days must be between 1 and max-days ("
              + config.maxDays()
              + "), not "
              + config.defaultDays());
    }
    if (config.dedupWindow().compareTo(Duration.ofHours(24)) < 0) {
      throw new IllegalStateException(
          "tributary.ingestion.retention.dedup-window must be at least 24h, not "
              + config.dedupWindow());
    }
    if (config.requestStatsMonths() < 7) {
      throw new IllegalStateException(
          "tributary.ingestion.retention.request-stats-months must be at least 7 (a month until"
              + " its SLA report is frozen plus the six-month termination-right look-back), not "
              + config.requestStatsMonths());
    }
    if (config.partitionsAhead() < 1 || config.deleteBatch() < 1) {
      throw new IllegalStateException(
          "tributary.ingestion.retention.partitions-ahead and delete-batch must be at least 1");
    }
  }

  void onStart(@Observes StartupEvent event) {
    try {
      ensurePartitions().await().atMost(STARTUP_TIMEOUT);
    } catch (RuntimeException e) {
      // The default partition takes the events meanwhile; the scheduled run tries again.
      Log.warnf("could not create the events' day partitions at startup: %s", e.toString());
    }
  }

  @Scheduled(
      every = "${tributary.ingestion.retention.every:10m}",
      delayed = "${tributary.ingestion.retention.every:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "retention")
  Uni<Void> scheduled() {
    return run()
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf(
                  "retention run failed, retried in %s: %s", config.every(), failure.toString());
              return null;
            })
        .replaceWithVoid();
  }

  /** One full run: partitions ahead, partitions dropped, then the batched deletes. */
  public Uni<Run> run() {
    Instant now = clock.instant();
    long started = System.nanoTime();
    long[] done = new long[5];
    return ensurePartitions()
        .invoke(created -> done[0] = created)
        .chain(() -> dropExpiredPartitions(now))
        .invoke(dropped -> done[1] = dropped)
        .chain(() -> deleteExpiredEvents(now))
        .invoke(events -> done[2] = events)
        .chain(
            () ->
                deleteInBatches(
                    "event_dedup entries",
                    () ->
                        repository.deleteDedupEntries(
                            now.minus(config.dedupWindow()), config.deleteBatch()),
                    dedupDeleted))
        .invoke(dedup -> done[3] = dedup)
        .chain(
            () ->
                deleteInBatches(
                    "request_stats rows",
                    () ->
                        repository.deleteRequestStats(
                            requestStatsCutoff(now), config.deleteBatch()),
                    statsDeleted))
        .invoke(stats -> done[4] = stats)
        .call(this::refreshGauges)
        .map(ignored -> new Run((int) done[0], (int) done[1], done[2], done[3], done[4]))
        .invoke(
            run -> {
              lastSuccess.set(clock.instant().getEpochSecond());
              Log.infof(
                  "retention run done in %d ms: %d partitions created, %d dropped; deleted %d"
                      + " events, %d dedup entries, %d request-stats rows",
                  Duration.ofNanos(System.nanoTime() - started).toMillis(),
                  run.partitionsCreated(),
                  run.partitionsDropped(),
                  run.eventsDeleted(),
                  run.dedupEntriesDeleted(),
                  run.requestStatsDeleted());
            });
  }

  /**
   * Creates the day partitions from today to {@code partitions-ahead} days ahead (UTC) that no
   * partition covers yet; answers how many it created.
   */
  public Uni<Integer> ensurePartitions() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return repository
        .partitions()
        .flatMap(
            existing ->
                Multi.createFrom()
                    .range(0, config.partitionsAhead() + 1)
                    .map(offset -> today.plusDays(offset))
                    .filter(day -> !covered(existing, day))
                    .onItem()
                    .transformToUniAndConcatenate(
                        day ->
                            repository
                                .createDayPartition(day, config.lockTimeout())
                                .invoke(
                                    created -> {
                                      if (created) {
                                        Log.infof("created the events partition of %s", day);
                                      }
                                    })
                                .onFailure()
                                .recoverWithItem(
                                    failure -> {
                                      // E.g. the default partition holds events of that day.
                                      Log.warnf(
                                          "could not create the events partition of %s: %s",
                                          day, failure.toString());
                                      return false;
                                    }))
                    .filter(Boolean::booleanValue)
                    .collect()
                    .with(Collectors.counting())
                    .map(Long::intValue))
        .call(this::refreshGauges);
  }

  /** Drops the partitions whose every event is past the longest retention of any workspace. */
  Uni<Integer> dropExpiredPartitions(Instant now) {
    return repository
        .longestRetentionDays(config.defaultDays(), config.maxDays())
        .flatMap(
            longest -> {
              Instant keepFrom = now.minus(Duration.ofDays(longest));
              return repository
                  .partitions()
                  .flatMap(
                      existing ->
                          Multi.createFrom()
                              .iterable(existing)
                              .filter(p -> !p.isDefault() && !p.to().isAfter(keepFrom))
                              .onItem()
                              .transformToUniAndConcatenate(
                                  p ->
                                      repository
                                          .dropPartition(p, config.lockTimeout())
                                          .invoke(
                                              () -> {
                                                partitionsDropped.increment();
                                                Log.infof(
                                                    "dropped the events partition %s (events before"
                                                        + " %s; the longest retention is %d days)",
                                                    p.name(), p.to(), longest);
                                              })
                                          .replaceWith(1))
                              .collect()
                              .asList()
                              .map(List::size));
            });
  }

  /**
   * In every remaining partition that may hold events past some workspace's retention, deletes them
   * in batches; answers how many.
   */
  Uni<Long> deleteExpiredEvents(Instant now) {
    // Nothing newer than the shortest possible retention (one day) can be past anyone's.
    Instant newestCutoff = now.minus(Duration.ofDays(1));
    return repository
        .partitions()
        .flatMap(
            existing ->
                Multi.createFrom()
                    .iterable(existing)
                    .filter(
                        p ->
                            !p.isDefault() && (p.from() == null || p.from().isBefore(newestCutoff)))
                    .onItem()
                    .transformToUniAndConcatenate(
                        p ->
                            deleteInBatches(
                                "events in " + p.name(),
                                () ->
                                    repository.deleteExpiredEvents(
                                        p,
                                        now,
                                        config.defaultDays(),
                                        config.maxDays(),
                                        config.deleteBatch()),
                                eventsDeleted))
                    .collect()
                    .with(Collectors.summingLong(Long::longValue)));
  }

  /**
   * Repeats {@code batch} (one short statement) until it deletes less than a full batch; logs
   * progress of long deletes.
   */
  private Uni<Long> deleteInBatches(String what, Supplier<Uni<Integer>> batch, Counter counter) {
    long[] total = {0};
    int[] batches = {0};
    return Multi.createBy()
        .repeating()
        .<Integer>uni(batch::get)
        .whilst(deleted -> deleted >= config.deleteBatch())
        .onItem()
        .invoke(
            deleted -> {
              total[0] += deleted;
              counter.increment(deleted);
              if (++batches[0] % PROGRESS_EVERY == 0) {
                Log.infof(
                    "retention: %d %s deleted so far (%d batches)", total[0], what, batches[0]);
              }
            })
        .collect()
        .last()
        .map(ignored -> total[0]);
  }

  /**
   * The first minute of statistics kept: the start of the UTC month {@code request-stats-months}
   * before the current one, a day earlier still so that the month is whole in every workspace's
   * contract time zone.
   */
  Instant requestStatsCutoff(Instant now) {
    LocalDate firstOfMonth = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
    return firstOfMonth
        .minusMonths(config.requestStatsMonths())
        .minusDays(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  private Uni<Void> refreshGauges() {
    return repository
        .partitions()
        .invoke(existing -> partitions.set(existing.size()))
        .flatMap(ignored -> repository.defaultPartitionRows(1_000_000))
        .invoke(
            rows -> {
              if (rows > 0 && defaultPartitionRows.get() == 0) {
                Log.warnf(
                    "%d events are in the default partition: their day had no partition when they"
                        + " arrived (README \"Retention\")",
                    rows);
              }
              defaultPartitionRows.set(rows);
            })
        .replaceWithVoid();
  }

  private static boolean covered(List<Partition> existing, LocalDate day) {
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    return existing.stream()
        .anyMatch(
            p ->
                !p.isDefault()
                    && (p.from() == null || !p.from().isAfter(start))
                    && p.to().isAfter(start));
  }
}
