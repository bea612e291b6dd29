package dev.tributary.notice.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testsupport.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The pacer's token bucket on a clock the test moves. */
class TokenBucketTest {

  private final SettableClock clock = new SettableClock();
  private final Instant t0 = SettableClock.MONDAY;

  @Test
  void aFullBucketGrantsItsBurstThenSaysHowLongUntilTheNextToken() {
    clock.set(t0);
    TokenBucket bucket = new TokenBucket(5, 5, clock);
    for (int i = 0; i < 5; i++) {
      assertEquals(Duration.ZERO, bucket.take(), "token " + i);
    }
    assertEquals(Duration.ofMillis(200), bucket.take());
    // Asking again takes nothing.
    assertEquals(Duration.ofMillis(200), bucket.take());

    clock.set(t0.plusMillis(120));
    assertEquals(Duration.ofMillis(80), bucket.take());
    clock.set(t0.plusMillis(200));
    assertEquals(Duration.ZERO, bucket.take());
    assertEquals(Duration.ofMillis(200), bucket.take());
  }

  @Test
  void aQuietSpellSavesUpNoMoreThanTheBurst() {
    clock.set(t0);
    TokenBucket bucket = new TokenBucket(10, 3, clock);
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, bucket.take());
    }
    clock.set(t0.plus(Duration.ofDays(400)));
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, bucket.take());
    }
    assertEquals(Duration.ofMillis(100), bucket.take());
  }

  @Test
  void aFractionalRateGrantsOneMessagePerPeriod() {
    clock.set(t0);
    TokenBucket bucket = new TokenBucket(0.5, 1, clock);
    assertEquals(Duration.ZERO, bucket.take());
    assertEquals(Duration.ofSeconds(2), bucket.take());
    clock.set(t0.plusSeconds(1));
    assertEquals(Duration.ofSeconds(1), bucket.take());
    clock.set(t0.plusSeconds(2));
    assertEquals(Duration.ZERO, bucket.take());
  }

  /**
   * Whatever the pattern of asks, the grants in any window [a, b] never exceed burst + rate × (b -
   * a): checked over a random walk of the clock, for every window of the grants made.
   */
  @Test
  void noWindowEverGetsMoreThanTheBurstPlusTheRate() {
    double rate = 7;
    int burst = 4;
    clock.set(t0);
    TokenBucket bucket = new TokenBucket(rate, burst, clock);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<Instant> grants = new ArrayList<>();
    Instant now = t0;
    for (int step = 0; step < 5_000; step++) {
      now = now.plusMillis(random.nextInt(0, 120));
      clock.set(now);
      int asks = random.nextInt(0, 4);
      for (int i = 0; i < asks; i++) {
        if (bucket.take().isZero()) {
          grants.add(now);
        }
      }
    }
    assertTrue(grants.size() > 1000, "the walk granted only " + grants.size());
    for (int from = 0; from < grants.size(); from++) {
      for (int to = from; to < grants.size(); to++) {
        double seconds = Duration.between(grants.get(from), grants.get(to)).toNanos() / 1e9;
        double allowed = burst + rate * seconds;
        if (to - from + 1 > allowed + 1e-9) {
          throw new AssertionError(
              (to - from + 1) + " grants in " + seconds + " s, at most " + allowed + " allowed");
        }
        if (seconds > 3) {
          break;
        }
      }
    }
  }

  @Test
  void aClockSetBackRefillsNothing() {
    clock.set(t0);
    TokenBucket bucket = new TokenBucket(1, 1, clock);
    assertEquals(Duration.ZERO, bucket.take());
    clock.set(t0.minusSeconds(3600));
    assertEquals(Duration.ofSeconds(1), bucket.take());
    clock.set(t0.minusSeconds(3599));
    assertEquals(Duration.ZERO, bucket.take());
  }

  @Test
  void aRateMustBePositiveAndABurstAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, clock));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(-1, 1, clock));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, clock));
    assertEquals(1, TokenBucket.defaultBurst(0.2));
    assertEquals(50, TokenBucket.defaultBurst(50));
    assertEquals(3, TokenBucket.defaultBurst(2.5));
  }
}
