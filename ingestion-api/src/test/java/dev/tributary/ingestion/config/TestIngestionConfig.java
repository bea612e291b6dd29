package dev.tributary.ingestion.config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@link IngestionConfig} for unit tests, with the production defaults unless a test says
 * otherwise.
 */
public record TestIngestionConfig(
    Limits limits, RateLimit rateLimit, Writer writer, Stats stats, Duration writeKeyCacheTtl)
    implements IngestionConfig {

  @Override
  public ProjectSettings settings() {
    return null;
  }

  @Override
  public Retention retention() {
    return null;
  }

  public record TestLimits(
      int maxEventBytes, int maxRequestBytes, int maxBatchEvents, int maxMessageIdLength)
      implements Limits {}

  public record TestRateLimit(
      int eventsPerSecond,
      int burst,
      int maxInFlightPerSource,
      Duration heartbeat,
      Optional<Duration> replicaTtl)
      implements RateLimit {

    public TestRateLimit(int eventsPerSecond, int burst, int maxInFlightPerSource) {
      this(eventsPerSecond, burst, maxInFlightPerSource, Duration.ofSeconds(5), Optional.empty());
    }
  }

  public static TestIngestionConfig withLimits(int maxEventBytes, int maxMessageIdLength) {
    return new TestIngestionConfig(
        new TestLimits(maxEventBytes, 512_000, 2500, maxMessageIdLength),
        new TestRateLimit(1000, 2000, 100),
        null,
        null,
        Duration.ofSeconds(10));
  }

  public static TestIngestionConfig withRateLimit(
      int eventsPerSecond, int burst, int maxInFlightPerSource) {
    return new TestIngestionConfig(
        new TestLimits(32_768, 512_000, 2500, 100),
        new TestRateLimit(eventsPerSecond, burst, maxInFlightPerSource),
        null,
        null,
        Duration.ofSeconds(10));
  }
}
