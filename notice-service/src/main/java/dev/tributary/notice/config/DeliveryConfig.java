package dev.tributary.notice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The delivery worker: how often it polls the outbox, how much it claims and sends at once, how
 * fast each provider may be sent to, how it retries.
 */
@ConfigMapping(prefix = "tributary.notice.delivery")
public interface DeliveryConfig {

  /**
   * How often a worker looks for due deliveries (read by the {@code @Scheduled} expression). A poll
   * that finds a full batch claims the next one at once, so this is only the delay before newly due
   * deliveries are noticed.
   */
  @WithDefault("2s")
  Duration pollInterval();

  /**
   * Whether a new notice's deliveries are sent at once (the worker is woken when the notice is
   * committed) rather than at the next poll. Tests turn it off to drive the worker themselves.
   */
  @WithDefault("true")
  boolean startOnCreate();

  /** Deliveries claimed per claim transaction; a full batch is followed at once by the next. */
  @WithDefault("100")
  int batchSize();

  /** Messages handed to the providers at the same time, across channels. */
  @WithDefault("8")
  int parallelism();

  /**
   * How long one provider call may take before it counts as failed (the primary SMTP server then
   * falls over to the secondary).
   */
  @WithDefault("30s")
  Duration sendTimeout();

  /**
   * How long a claim holds a delivery. A worker that dies mid-send loses the row after this, and
   * another worker sends it again: longer than the slowest batch (see {@link Pace}), not much more.
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

  /** Pacing of the primary SMTP server ({@code tributary.notice.delivery.smtp-primary.*}). */
  Pace smtpPrimary();

  /** Pacing of the secondary SMTP server ({@code tributary.notice.delivery.smtp-secondary.*}). */
  Pace smtpSecondary();

  /** Pacing of the SMS provider ({@code tributary.notice.delivery.sms.*}). */
  Pace sms();

  /**
   * How fast one provider may be sent to: a token bucket of {@code burst} messages refilled at
   * {@code rate} messages a second. Without a rate the provider is not paced. The worker claims no
   * more deliveries at once than the slowest paced provider can take in half a lease, so a claimed
   * delivery never outlives its lease waiting for its turn.
   */
  interface Pace {

    /** Messages per second (may be fractional: 0.5 is one every 2 s); unset: not paced. */
    OptionalDouble rate();

    /** Messages that may go at once after a quiet spell; default one second's worth (≥ 1). */
    OptionalInt burst();
  }
}
