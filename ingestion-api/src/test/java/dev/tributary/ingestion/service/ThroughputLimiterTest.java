package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.config.TestIngestionConfig;
import dev.tributary.ingestion.service.ThroughputLimiter.Decision;
import dev.tributary.ingestion.service.ThroughputLimiter.TokenBucket;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of the token bucket (with explicit nanosecond clocks) and the per-source in-flight
 * cap.
 */
class ThroughputLimiterTest {

  static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketLetsTheBurstThroughThenRefusesWithRetryAfter() {
    TokenBucket bucket = new TokenBucket(5, 0);
    Decision first = bucket.tryTake(5, 1, 5, 0);
    assertTrue(first.allowed());
    assertEquals(1, first.limit());
    assertEquals(0, first.remaining());
    assertEquals(5, first.resetSeconds(), "5 s until full again at 1/s");

    Decision second = bucket.tryTake(5, 1, 5, 0);
    assertFalse(second.allowed());
    assertEquals(5, second.retryAfterSeconds());
    assertEquals(0, second.remaining());
    assertEquals(1, second.limit());
  }

  @Test
  void theBucketRefillsAtTheRate() {
    TokenBucket bucket = new TokenBucket(5, 0);
    assertTrue(bucket.tryTake(5, 1, 5, 0).allowed());
    assertFalse(bucket.tryTake(3, 1, 5, 2 * SECOND).allowed(), "2 tokens after 2 s");
    Decision refused = bucket.tryTake(3, 1, 5, 2 * SECOND);
    assertEquals(1, refused.retryAfterSeconds(), "one more token needed");
    assertEquals(2, refused.remaining());
    Decision allowed = bucket.tryTake(3, 1, 5, 3 * SECOND);
    assertTrue(allowed.allowed());
    assertEquals(0, allowed.remaining());
  }

  @Test
  void theBucketNeverHoldsMoreThanItsCapacity() {
    TokenBucket bucket = new TokenBucket(5, 0);
    assertTrue(bucket.tryTake(5, 1, 5, 1000 * SECOND).allowed());
    assertFalse(
        bucket.tryTake(1, 1, 5, 1000 * SECOND).allowed(),
        "an hour idle still only fills the burst");
  }

  @Test
  void aRequestLargerThanTheBurstPassesWhenFullAndRunsADebt() {
    TokenBucket bucket = new TokenBucket(5, 0);
    Decision big = bucket.tryTake(10, 1, 5, 0);
    assertTrue(big.allowed(), "a batch larger than the burst is not refused forever");
    assertEquals(0, big.remaining());
    Decision next = bucket.tryTake(1, 1, 5, 0);
    assertFalse(next.allowed());
    assertEquals(6, next.retryAfterSeconds(), "the 5-event debt plus the one token");
    assertTrue(bucket.tryTake(1, 1, 5, 6 * SECOND).allowed());
  }

  @Test
  void retryAfterIsAtLeastOneSecond() {
    TokenBucket bucket = new TokenBucket(1000, 0);
    assertTrue(bucket.tryTake(1000, 1000, 1000, 0).allowed());
    Decision refused = bucket.tryTake(1, 1000, 1000, 0);
    assertFalse(refused.allowed());
    assertEquals(1, refused.retryAfterSeconds());
    assertEquals(1000, refused.limit());
  }

  static IngestionConfig config(int rate, int burst, int inFlight, int replicas) {
    return TestIngestionConfig.withRateLimit(rate, burst, inFlight, replicas);
  }

  @Test
  void workspacesHaveSeparateBucketsAndDefaultsApply() {
    ThroughputLimiter limiter = new ThroughputLimiter(config(1, 3, 100, 1));
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    assertTrue(limiter.tryAcquire(a, null, null, 3).allowed());
    assertFalse(limiter.tryAcquire(a, null, null, 3).allowed());
    assertTrue(limiter.tryAcquire(b, null, null, 3).allowed(), "another workspace is not affected");
    Decision own = limiter.tryAcquire(UUID.randomUUID(), 50, 100, 100);
    assertTrue(own.allowed());
    assertEquals(50, own.limit(), "the workspace's own rate wins over the default");
  }

  @Test
  void resetForgetsTheBucket() {
    ThroughputLimiter limiter = new ThroughputLimiter(config(1, 3, 100, 1));
    UUID a = UUID.randomUUID();
    assertTrue(limiter.tryAcquire(a, null, null, 3).allowed());
    assertFalse(limiter.tryAcquire(a, null, null, 3).allowed());
    limiter.reset(a);
    assertTrue(limiter.tryAcquire(a, null, null, 3).allowed());
  }

  @Test
  void replicasShareTheWorkspaceLimit() {
    ThroughputLimiter limiter = new ThroughputLimiter(config(1000, 2000, 100, 4));
    UUID a = UUID.randomUUID();
    Decision decision = limiter.tryAcquire(a, null, null, 500);
    assertTrue(decision.allowed());
    assertEquals(250, decision.limit(), "1000/s over 4 replicas");
    assertFalse(
        limiter.tryAcquire(a, null, null, 500).allowed(), "the 500-event burst share is used up");
  }

  @Test
  void theInFlightCapIsPerSource() {
    ThroughputLimiter limiter = new ThroughputLimiter(config(1000, 2000, 2, 1));
    UUID source = UUID.randomUUID();
    assertTrue(limiter.tryEnter(source));
    assertTrue(limiter.tryEnter(source));
    assertFalse(limiter.tryEnter(source));
    assertTrue(limiter.tryEnter(UUID.randomUUID()), "another source has its own cap");
    limiter.leave(source);
    assertTrue(limiter.tryEnter(source));
    assertFalse(limiter.tryEnter(source));
    assertEquals(2, limiter.maxInFlightPerSource());
  }
}
