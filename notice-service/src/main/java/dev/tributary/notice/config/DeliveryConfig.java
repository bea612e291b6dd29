package dev.tributary.notice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The delivery workers: how often they poll the outbox, how much they claim, how they retry. */
@ConfigMapping(prefix = "tributary.notice.delivery")
public interface DeliveryConfig {

  /** How often a worker looks for due deliveries (read by the {@code @Scheduled} expression). */
  @WithDefault("2s")
  Duration pollInterval();

  /** Deliveries claimed per poll; small, so one slow provider does not hold many rows. */
  @WithDefault("20")
  int batchSize();

  /**
   * How long a claim holds a delivery. A worker that dies mid-send loses the row after this, and
   * another worker sends it again: longer than the slowest send (both SMTP servers), not much more.
   */
  @WithDefault("5m")
  Duration lease();

  /** Attempts before a delivery is FAILED (counted in tributary.notice.deliveries.failed). */
  @WithDefault("5")
  int maxAttempts();

  /** Wait after the first failed attempt; doubled after each further one, with ±50 % jitter. */
  @WithDefault("30s")
  Duration backoffBase();

  /** Upper bound of the wait between two attempts (before jitter). */
  @WithDefault("30m")
  Duration backoffMax();

  /** Right-hand side of the Message-ID ({@code <delivery-id@domain>}) of every email. */
  @WithDefault("notice.tributary")
  String messageIdDomain();
}
