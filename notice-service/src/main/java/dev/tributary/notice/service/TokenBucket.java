package dev.tributary.notice.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} of them saved up, time read
 * from a {@link Clock}. In any interval of length T it grants at most {@code burst + rate × T}
 * tokens. It never waits itself: {@link #take()} answers how long until the next token, and the
 * caller decides how to wait (see {@link ProviderPacer}). Thread-safe.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double ratePerSecond;
  private final double burst;
  private final Clock clock;
  private double tokens;
  private Instant refilledAt;

  TokenBucket(double ratePerSecond, int burst, Clock clock) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number, not " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, not " + burst);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.refilledAt = clock.instant();
  }

  /** The default burst of a rate: one second's worth, at least one message. */
  static int defaultBurst(double ratePerSecond) {
    return (int) Math.max(1, Math.ceil(ratePerSecond));
  }

  double rate() {
    return ratePerSecond;
  }

  /**
   * Takes a token if one is there and answers {@link Duration#ZERO}; otherwise takes nothing and
   * answers how long until one will be.
   */
  synchronized Duration take() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return Duration.ZERO;
    }
    double nanos = Math.ceil((1 - tokens) / ratePerSecond * NANOS_PER_SECOND);
    return Duration.ofNanos(Math.max(1, (long) nanos));
  }

  private void refill() {
    Instant now = clock.instant();
    if (now.isAfter(refilledAt)) {
      Duration gap = Duration.between(refilledAt, now);
      double elapsed = gap.getSeconds() + gap.getNano() / NANOS_PER_SECOND;
      tokens = Math.min(burst, tokens + elapsed * ratePerSecond);
    }
    // A clock set back (tests, a corrected system clock) refills nothing, and time counts from it.
    refilledAt = now;
  }
}
