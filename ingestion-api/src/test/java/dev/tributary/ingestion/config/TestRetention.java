package dev.tributary.ingestion.config;

import java.time.Duration;

/**
 * {@link IngestionConfig.Retention} for tests that run the retention job with their own settings.
 */
public record TestRetention(
    int defaultDays,
    int maxDays,
    int partitionsAhead,
    Duration dedupWindow,
    int requestStatsMonths,
    int deleteBatch,
    Duration every,
    Duration lockTimeout)
    implements IngestionConfig.Retention {

  /** The production defaults, with {@code deleteBatch} rows per delete. */
  public static TestRetention defaults(int deleteBatch) {
    return new TestRetention(
        90,
        400,
        7,
        Duration.ofHours(48),
        13,
        deleteBatch,
        Duration.ofMinutes(10),
        Duration.ofSeconds(2));
  }

  public TestRetention withRequestStatsMonths(int months) {
    return new TestRetention(
        defaultDays,
        maxDays,
        partitionsAhead,
        dedupWindow,
        months,
        deleteBatch,
        every,
        lockTimeout);
  }

  public TestRetention withDedupWindow(Duration window) {
    return new TestRetention(
        defaultDays,
        maxDays,
        partitionsAhead,
        window,
        requestStatsMonths,
        deleteBatch,
        every,
        lockTimeout);
  }
}
