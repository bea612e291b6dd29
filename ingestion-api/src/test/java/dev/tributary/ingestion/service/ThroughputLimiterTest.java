package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.config.TestIngestionConfig;
import dev.tributary.ingestion.service.ThroughputLimiter.Decision;
import dev.tributary.ingestion.service.ThroughputLimiter.TokenBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of the token bucket (with explicit nanosecond clocks), its behaviour under concurrent
 * use, the division by the live replicas and the per-source in-flight cap.
 */
class ThroughputLimiterTest {

  static final long SECOND = 1_000_000_000L;
  static final long MILLISECOND = 1_000_000L;

  /** A nanosecond clock the test sets. */
  static final class NanoClock implements LongSupplier {
    volatile long now;

    @Override
    public long getAsLong() {
      return now;
    }
  }

  @Test
  void aFullBucketLetsTheBurstThroughThenRefusesWithRetryAfter() {
    TokenBucket bucket = new TokenBucket(5, new NanoClock());
    Decision first = bucket.tryTake(5, 1, 5);
    assertTrue(first.allowed());
    assertEquals(1, first.limit());
    assertEquals(0, first.remaining());
    assertEquals(5, first.resetSeconds(), "5 s until full again at 1/s");

    Decision second = bucket.tryTake(5, 1, 5);
    assertFalse(second.allowed());
    assertEquals(5, second.retryAfterSeconds());
    assertEquals(0, second.remaining());
    assertEquals(1, second.limit());
  }

  @Test
  void theBucketRefillsAtTheRate() {
    NanoClock clock = new NanoClock();
    TokenBucket bucket = new TokenBucket(5, clock);
    assertTrue(bucket.tryTake(5, 1, 5).allowed());
    clock.now = 2 * SECOND;
    assertFalse(bucket.tryTake(3, 1, 5).allowed(), "2 tokens after 2 s");
    Decision refused = bucket.tryTake(3, 1, 5);
    assertEquals(1, refused.retryAfterSeconds(), "one more token needed");
    assertEquals(2, refused.remaining());
    clock.now = 3 * SECOND;
    Decision allowed = bucket.tryTake(3, 1, 5);
    assertTrue(allowed.allowed());
    assertEquals(0, allowed.remaining());
  }

  @Test
  void theBucketNeverHoldsMoreThanItsCapacity() {
    NanoClock clock = new NanoClock();
    TokenBucket bucket = new TokenBucket(5, clock);
    clock.now = 1000 * SECOND;
    assertTrue(bucket.tryTake(5, 1, 5).allowed());
    assertFalse(bucket.tryTake(1, 1, 5).allowed(), "an hour idle still only fills the burst");
  }

  @Test
  void aRequestLargerThanTheBurstPassesWhenFullAndRunsADebt() {
    NanoClock clock = new NanoClock();
    TokenBucket bucket = new TokenBucket(5, clock);
    Decision big = bucket.tryTake(10, 1, 5);
    assertTrue(big.allowed(), "a batch larger than the burst is not refused forever");
    assertEquals(0, big.remaining());
    Decision next = bucket.tryTake(1, 1, 5);
    assertFalse(next.allowed());
    assertEquals(6, next.retryAfterSeconds(), "the 5-event debt plus the one token");
    clock.now = 6 * SECOND;
    assertTrue(bucket.tryTake(1, 1, 5).allowed());
  }

  @Test
  void retryAfterIsAtLeastOneSecond() {
    TokenBucket bucket = new TokenBucket(1000, new NanoClock());
    assertTrue(bucket.tryTake(1000, 1000, 1000).allowed());
    Decision refused = bucket.tryTake(1, 1000, 1000);
    assertFalse(refused.allowed());
    assertEquals(1, refused.retryAfterSeconds());
    assertEquals(1000, refused.limit());
  }

  @Test
  void aReadingOlderThanTheLastRefillTakesNoTokens() {
    NanoClock clock = new NanoClock();
    TokenBucket bucket = new TokenBucket(5, clock);
    clock.now = 10 * SECOND;
    assertEquals(4, bucket.tryTake(1, 1, 5).remaining());
    clock.now = 7 * SECOND;
    assertEquals(3, bucket.tryTake(1, 1, 5).remaining(), "going back 3 s subtracts nothing");
    clock.now = 11 * SECOND;
    assertEquals(3, bucket.tryTake(1, 1, 5).remaining(), "one second after the last refill");
  }

  /**
   * Two threads read the time in turn; the first one's (older) reading reaches the bucket only
   * after the second one's (newer) reading was used, as when a thread is descheduled between
   * reading the time and taking the bucket's lock. Taking the older reading as "now" would subtract
   * 10 ms, 10,000 tokens of a 1,000-token bucket, and refuse a workspace far below its rate.
   */
  @Test
  void anOlderTimeReadingArrivingAfterANewerOneRefusesNothing() throws Exception {
    OvertakingClock clock = new OvertakingClock(10 * MILLISECOND, 20 * MILLISECOND);
    ThroughputLimiter limiter = new ThroughputLimiter(rateLimit(1_000_000, 1_000), () -> 1, clock);
    UUID workspace = UUID.randomUUID();
    assertTrue(limiter.tryAcquire(workspace, null, null, 1).allowed(), "creates the bucket at 0");

    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Decision> older =
          threads.submit(
              () -> {
                clock.olderThread = Thread.currentThread();
                return limiter.tryAcquire(workspace, null, null, 1);
              });
      Future<Decision> newer =
          threads.submit(
              () -> {
                clock.newerThread = Thread.currentThread();
                clock.olderReadingTaken.await();
                clock.newerStarted = true;
                try {
                  return limiter.tryAcquire(workspace, null, null, 1);
                } finally {
                  clock.newerDone = true;
                }
              });
      assertTrue(newer.get(30, TimeUnit.SECONDS).allowed(), "the newer reading");
      assertTrue(older.get(30, TimeUnit.SECONDS).allowed(), "the older reading, arriving last");
      assertEquals(2, clock.readsByThreads.get(), "each thread read the time once");
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * The clock of {@link #anOlderTimeReadingArrivingAfterANewerOneRefusesNothing}. The older thread
   * reads first, but gets its reading only once the newer thread has finished its request or waits
   * for the bucket (which the older thread then holds): the interleaving is forced by the threads'
   * states, never by waiting for time to pass. Other threads read 0.
   */
  static final class OvertakingClock implements LongSupplier {
    private final long olderReading;
    private final long newerReading;
    final AtomicInteger readsByThreads = new AtomicInteger();
    final CountDownLatch olderReadingTaken = new CountDownLatch(1);
    volatile Thread olderThread;
    volatile Thread newerThread;
    volatile boolean newerStarted;
    volatile boolean newerDone;

    OvertakingClock(long olderReading, long newerReading) {
      this.olderReading = olderReading;
      this.newerReading = newerReading;
    }

    @Override
    public long getAsLong() {
      Thread current = Thread.currentThread();
      if (current == olderThread) {
        readsByThreads.incrementAndGet();
        olderReadingTaken.countDown();
        while (!newerDone && !(newerStarted && waiting(newerThread))) {
          Thread.onSpinWait();
        }
        return olderReading;
      }
      if (current == newerThread) {
        readsByThreads.incrementAndGet();
        return newerReading;
      }
      return 0;
    }

    private static boolean waiting(Thread thread) {
      Thread.State state = thread.getState();
      return state == Thread.State.BLOCKED
          || state == Thread.State.WAITING
          || state == Thread.State.TIMED_WAITING;
    }
  }

  /**
   * Eight threads hammer one workspace with the real clock, 100,000 single events in all against a
   * burst of 100,000 and a rate of 2,000,000,000 events/s: a bucket whose refill never goes
   * backwards cannot refuse any of them, however the threads interleave.
   */
  @Test
  void manyThreadsFarBelowTheLimitAreNeverRefused() throws Exception {
    int threads = 8;
    int perThread = 12_500;
    ThroughputLimiter limiter =
        new ThroughputLimiter(rateLimit(2_000_000_000, 100_000), () -> 1, System::nanoTime);
    UUID workspace = UUID.randomUUID();
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    if (!limiter.tryAcquire(workspace, null, null, 1).allowed()) {
                      refused.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, refused.get(), "refusals below the limit");
  }

  static IngestionConfig.RateLimit rateLimit(int rate, int burst) {
    return new TestIngestionConfig.TestRateLimit(rate, burst, 100);
  }

  static ThroughputLimiter limiter(int rate, int burst, int inFlight, int liveReplicas) {
    return new ThroughputLimiter(
        new TestIngestionConfig.TestRateLimit(rate, burst, inFlight),
        () -> liveReplicas,
        System::nanoTime);
  }

  @Test
  void workspacesHaveSeparateBucketsAndDefaultsApply() {
    ThroughputLimiter limiter = limiter(1, 3, 100, 1);
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
    ThroughputLimiter limiter = limiter(1, 3, 100, 1);
    UUID a = UUID.randomUUID();
    assertTrue(limiter.tryAcquire(a, null, null, 3).allowed());
    assertFalse(limiter.tryAcquire(a, null, null, 3).allowed());
    limiter.reset(a);
    assertTrue(limiter.tryAcquire(a, null, null, 3).allowed());
  }

  @Test
  void replicasShareTheWorkspaceLimit() {
    ThroughputLimiter limiter = limiter(1000, 2000, 100, 4);
    UUID a = UUID.randomUUID();
    Decision decision = limiter.tryAcquire(a, null, null, 500);
    assertTrue(decision.allowed());
    assertEquals(250, decision.limit(), "1000/s over 4 replicas");
    assertFalse(
        limiter.tryAcquire(a, null, null, 500).allowed(), "the 500-event burst share is used up");
  }

  @Test
  void theSharesFollowTheLiveReplicaCount() {
    AtomicInteger live = new AtomicInteger(1);
    NanoClock clock = new NanoClock();
    ThroughputLimiter limiter = new ThroughputLimiter(rateLimit(1000, 2000), live::get, clock);
    UUID a = UUID.randomUUID();
    assertEquals(1000, limiter.tryAcquire(a, null, null, 1).limit(), "alone: the whole limit");
    live.set(2);
    Decision half = limiter.tryAcquire(a, null, null, 1);
    assertEquals(500, half.limit(), "a second replica joined: half each");
    assertEquals(999, half.remaining(), "the bucket shrank to the 1,000-event share");
    assertTrue(limiter.tryAcquire(a, null, null, 999).allowed());
    assertFalse(limiter.tryAcquire(a, null, null, 1).allowed());
    live.set(1);
    clock.now = 2 * SECOND;
    Decision alone = limiter.tryAcquire(a, null, null, 2000);
    assertTrue(alone.allowed(), "alone again: the whole burst, refilled at the whole rate");
    assertEquals(1000, alone.limit());
  }

  @Test
  void theInFlightCapIsPerSource() {
    ThroughputLimiter limiter = limiter(1000, 2000, 2, 1);
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
