package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The throughput limits the SLA is "subject to": events per second per workspace (token bucket: the
 * rate refills, the burst is the bucket's size) and concurrent requests per source. Limits are held
 * per replica; each replica enforces the workspace's limits divided by the {@link LiveReplicas}, so
 * a balanced deployment enforces the workspace's total whatever the replica count.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class ThroughputLimiter {

  /** The answer to "may these events in?", with what the X-RateLimit-* headers report. */
  public record Decision(
      boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

  private final IngestionConfig.RateLimit config;
  private final IntSupplier liveReplicas;
  private final LongSupplier nanoClock;
  private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  @Inject
  public ThroughputLimiter(IngestionConfig config, LiveReplicas liveReplicas) {
    this(config.rateLimit(), liveReplicas::count, System::nanoTime);
  }

  /**
   * @param liveReplicas the replicas sharing each workspace's limits
   * @param nanoClock monotonic nanoseconds, {@link System#nanoTime()} but in tests
   */
  ThroughputLimiter(
      IngestionConfig.RateLimit config, IntSupplier liveReplicas, LongSupplier nanoClock) {
    this.config = config;
    this.liveReplicas = liveReplicas;
    this.nanoClock = nanoClock;
  }

  /** Takes {@code events} from the workspace's bucket, or refuses without taking any. */
  public Decision tryAcquire(UUID workspaceId, Integer eventsPerSecond, Integer burst, int events) {
    int replicas = Math.max(1, liveReplicas.getAsInt());
    double rate =
        Math.max(
            1.0,
            (eventsPerSecond != null ? eventsPerSecond : config.eventsPerSecond())
                / (double) replicas);
    double capacity = Math.max(1.0, (burst != null ? burst : config.burst()) / (double) replicas);
    TokenBucket bucket =
        buckets.computeIfAbsent(workspaceId, id -> new TokenBucket(capacity, nanoClock));
    return bucket.tryTake(events, rate, capacity);
  }

  /** Enters one request of the source; false when the source is at its concurrency cap. */
  public boolean tryEnter(UUID sourceId) {
    AtomicInteger count = inFlight.computeIfAbsent(sourceId, id -> new AtomicInteger());
    if (count.incrementAndGet() > config.maxInFlightPerSource()) {
      count.decrementAndGet();
      return false;
    }
    return true;
  }

  /** The source has as many requests in progress as it may: its next one would be refused. */
  public boolean atInFlightCap(UUID sourceId) {
    AtomicInteger count = inFlight.get(sourceId);
    return count != null && count.get() >= config.maxInFlightPerSource();
  }

  public void leave(UUID sourceId) {
    AtomicInteger count = inFlight.get(sourceId);
    if (count != null) {
      count.decrementAndGet();
    }
  }

  public int maxInFlightPerSource() {
    return config.maxInFlightPerSource();
  }

  /** Forgets buckets, so changed workspace limits apply from the next request. */
  public void reset(UUID workspaceId) {
    buckets.remove(workspaceId);
  }

  /**
   * One workspace's bucket. The time is read inside the lock and the refill only ever moves
   * forwards: a reading taken before another thread's refill would otherwise subtract time and
   * drain the bucket (measured under load: 429s at 7,000 requests/s against a limit of 10,000,000
   * events/s).
   */
  static final class TokenBucket {
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefillNanos;

    TokenBucket(double capacity, LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      this.tokens = capacity;
      this.lastRefillNanos = nanoClock.getAsLong();
    }

    synchronized Decision tryTake(int events, double rate, double capacity) {
      long now = nanoClock.getAsLong();
      long elapsed = now - lastRefillNanos;
      if (elapsed > 0) {
        tokens += elapsed / 1e9 * rate;
        lastRefillNanos = now;
      }
      // The capacity shrinks when replicas join: the bucket never holds more than its share.
      tokens = Math.min(capacity, tokens);
      // A request larger than the whole burst may go when the bucket is full; it then runs a debt
      // that later requests wait for. Without this a big batch could never pass a small burst.
      double needed = Math.min(events, capacity);
      long limit = Math.round(rate);
      if (tokens >= needed) {
        tokens -= events;
        return new Decision(
            true, limit, (long) Math.max(0, Math.floor(tokens)), secondsUntil(capacity, rate), 0);
      }
      long retryAfter = Math.max(1, (long) Math.ceil((needed - tokens) / rate));
      return new Decision(
          false,
          limit,
          (long) Math.max(0, Math.floor(tokens)),
          secondsUntil(capacity, rate),
          retryAfter);
    }

    private long secondsUntil(double level, double rate) {
      return Math.max(0, (long) Math.ceil((level - tokens) / rate));
    }
  }
}
