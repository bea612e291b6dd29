package dev.tributary.ingestion.service;

import dev.tributary.ingestion.client.Notices;
import dev.tributary.ingestion.config.LifecycleConfig;
import dev.tributary.ingestion.repository.ClosureRepository;
import dev.tributary.ingestion.repository.ClosureRepository.ClosedWorkspace;
import dev.tributary.ingestion.repository.RetentionRepository;
import dev.tributary.ingestion.repository.RetentionRepository.Partition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Erases closed workspaces' data (Privacy Notice: within 60 days of closure). For each closed
 * workspace it first makes sure the CLOSURE notice exists and has finished (delivered or given up;
 * at most {@code erasure.notice-wait} after the closure), because the notice goes to the contacts
 * the erasure deletes; then it deletes the events partition by partition in batches of {@code
 * erasure.batch} (each found through the partition's source index and deleted by ctid), logging its
 * progress and counting {@code tributary_closure_events_deleted_total}, and at the end the
 * contacts. A run deletes at most {@code erasure.max-batches-per-run} batches; the next run goes
 * on. Two replicas erasing one workspace at once only share the work: every step is idempotent.
 */
@ApplicationScoped
public class ClosureJob {

  private final ClosureRepository closures;
  private final RetentionRepository partitions;
  private final ClosureService service;
  private final Notices notices;
  private final Clock clock;
  private final LifecycleConfig.Erasure config;
  private final Counter deleted;

  public ClosureJob(
      ClosureRepository closures,
      RetentionRepository partitions,
      ClosureService service,
      Notices notices,
      Clock clock,
      LifecycleConfig config,
      MeterRegistry registry) {
    this.closures = closures;
    this.partitions = partitions;
    this.service = service;
    this.notices = notices;
    this.clock = clock;
    this.config = config.erasure();
    this.deleted =
        Counter.builder("tributary.closure.events.deleted")
            .description("Events of closed workspaces deleted by the erasure")
            .register(registry);
  }

  @Scheduled(
      every = "${tributary.lifecycle.erasure.poll:1m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> run() {
    return runOnce(config.batch(), config.maxBatchesPerRun())
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            e -> {
              Log.warnf("the closure erasure failed (next run retries): %s", e.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /** One pass; answers how many batches it deleted. */
  public Uni<Integer> runOnce(int batch, int maxBatches) {
    return closures
        .toErase(10)
        .flatMap(
            list ->
                Multi.createFrom()
                    .iterable(list)
                    .onItem()
                    .transformToUniAndConcatenate(ws -> erase(ws, batch, maxBatches))
                    .collect()
                    .asList())
        .map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
  }

  private Uni<Integer> erase(ClosedWorkspace ws, int batch, int maxBatches) {
    if (ws.closureNoticeId() == null) {
      return service.sendNotice(ws.id()).replaceWith(0);
    }
    Instant now = clock.instant();
    boolean waitedEnough = !now.isBefore(ws.closedAt().plus(config.noticeWait()));
    return notices
        .status(ws.closureNoticeId())
        .map(status -> status.pending() == 0 && status.sending() == 0)
        .onFailure()
        .recoverWithItem(false)
        .flatMap(
            finished ->
                finished || waitedEnough
                    ? deleteBatches(ws, batch, maxBatches)
                    : Uni.createFrom().item(0));
  }

  /** The events partition by partition, then the contacts; at most {@code maxBatches} batches. */
  private Uni<Integer> deleteBatches(ClosedWorkspace ws, int batch, int maxBatches) {
    return partitions
        .partitions()
        .flatMap(
            all ->
                deleteBatches(
                    ws, all.stream().map(Partition::name).toList(), 0, batch, maxBatches, 0, 0));
  }

  private Uni<Integer> deleteBatches(
      ClosedWorkspace ws,
      List<String> partitionNames,
      int partition,
      int batch,
      int maxBatches,
      int done,
      long deletedSoFar) {
    if (partition == partitionNames.size()) {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
      return closures
          .finishErasure(ws.id(), now)
          .invoke(
              () ->
                  Log.infof(
                      "erased closed workspace %s: %d events deleted in this run, its contacts"
                          + " deleted, %s after closure",
                      ws.id(), deletedSoFar, Duration.between(ws.closedAt(), now)))
          .replaceWith(done);
    }
    if (done >= maxBatches) {
      Log.infof(
          "erasing closed workspace %s: %d events deleted in this run, more next run",
          ws.id(), deletedSoFar);
      return Uni.createFrom().item(done);
    }
    return closures
        .deleteEventBatch(ws.id(), partitionNames.get(partition), batch)
        .flatMap(
            count -> {
              deleted.increment(count);
              long total = deletedSoFar + count;
              if ((done + 1) % 20 == 0) {
                Log.infof("erasing closed workspace %s: %d events deleted so far", ws.id(), total);
              }
              // A short batch: this partition holds no more of the workspace's events.
              int next = count < batch ? partition + 1 : partition;
              return deleteBatches(ws, partitionNames, next, batch, maxBatches, done + 1, total);
            });
  }
}
