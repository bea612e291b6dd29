package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.repository.ReplicaRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How many replicas share the workspaces' rate limits: this replica and every other whose heartbeat
 * in {@code ingestion.replicas} is younger than the TTL. Each replica records its heartbeat every
 * {@code tributary.ingestion.rate-limit.heartbeat} (on the reactive pool, never blocking the event
 * loop), deletes the stale rows it sees, and deletes its own row when it stops, so an autoscaler
 * can add and remove replicas and each one's share follows within a heartbeat (a replica that dies
 * without stopping, within the TTL).
 *
 * <p>The count is never below 1: this replica counts itself before its first heartbeat and while
 * the database is unreachable it keeps the last count it saw. Heartbeats use the injected {@link
 * Clock}, so the replicas' clocks are assumed to be in step (NTP) to well within the TTL; a row
 * from a clock ahead is counted longer, which only makes the shares smaller, never the total
 * larger.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class LiveReplicas {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

  private final ReplicaRepository repository;
  private final Clock clock;
  private final Duration ttl;
  private final String id = UUID.randomUUID().toString();
  private final Instant startedAt;
  private volatile int count = 1;
  private volatile boolean failing;
  private volatile boolean stopped;
  private volatile CompletionStage<Integer> lastBeat = CompletableFuture.completedFuture(1);

  @Inject
  public LiveReplicas(
      ReplicaRepository repository, Clock clock, IngestionConfig config, MeterRegistry registry) {
    this(repository, clock, ttl(config.rateLimit()));
    Gauge.builder("tributary.ingestion.live.replicas", this, LiveReplicas::count)
        .description("Replicas sharing the workspaces' rate limits, as this replica counts them")
        .register(registry);
  }

  /** A replica with a fresh random id; the tests run several in one JVM. */
  public LiveReplicas(ReplicaRepository repository, Clock clock, Duration ttl) {
    this.repository = repository;
    this.clock = clock;
    this.ttl = ttl;
    this.startedAt = clock.instant();
  }

  static Duration ttl(IngestionConfig.RateLimit config) {
    return config.replicaTtl().orElse(config.heartbeat().multipliedBy(3));
  }

  /** The live replicas, this one included: at least 1. */
  public int count() {
    return count;
  }

  public String id() {
    return id;
  }

  @Scheduled(
      every = "${tributary.ingestion.rate-limit.heartbeat:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "replica-heartbeat")
  Uni<Void> heartbeat() {
    return beat().replaceWithVoid();
  }

  /**
   * Records this replica's heartbeat, deletes stale rows and recounts; answers the new count (the
   * last one when the database fails: the failure is logged, never thrown).
   */
  public Uni<Integer> beat() {
    if (stopped) {
      return Uni.createFrom().item(count);
    }
    Instant now = clock.instant();
    CompletableFuture<Integer> done =
        repository
            .beat(id, now, startedAt, now.minus(ttl))
            .map(
                others -> {
                  count = others + 1;
                  if (failing) {
                    failing = false;
                    Log.infof("replica heartbeat recorded again; %d live replicas", count);
                  }
                  return count;
                })
            .onFailure()
            .recoverWithItem(
                failure -> {
                  if (!failing) {
                    failing = true;
                    Log.warnf(
                        "replica heartbeat not recorded (%s); the rate limits keep dividing by %d"
                            + " until it is",
                        failure.toString(), count);
                  }
                  return count;
                })
            .subscribeAsCompletionStage();
    lastBeat = done;
    return Uni.createFrom().completionStage(done);
  }

  /**
   * Stops the heartbeats and deletes this replica's row (after a heartbeat in progress, which would
   * otherwise write it again), so the others take its share at their next heartbeat.
   */
  public Uni<Void> stop() {
    stopped = true;
    return Uni.createFrom()
        .completionStage(lastBeat)
        .onFailure()
        .recoverWithNull()
        .chain(() -> repository.remove(id));
  }

  void onShutdown(@Observes ShutdownEvent event) {
    try {
      stop().await().atMost(STOP_TIMEOUT);
    } catch (RuntimeException e) {
      Log.warnf(
          "replica row not deleted at shutdown (%s); the others drop it after %s",
          e.toString(), ttl);
    }
  }
}
