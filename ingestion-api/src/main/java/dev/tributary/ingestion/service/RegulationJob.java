package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.RegulationsConfig;
import dev.tributary.ingestion.repository.RegulationRepository;
import dev.tributary.ingestion.repository.RegulationRepository.Claimed;
import dev.tributary.ingestion.repository.RegulationRepository.SubjectPartition;
import dev.tributary.ingestion.repository.RetentionRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes the events of the regulations' subjects. Every replica runs it: a run claims one open
 * deletion under a lease ({@code for update skip locked}, so two replicas never work on the same
 * one), deletes its events partition by partition, each statement short and renewing the lease: in
 * a past day's partition through its subject index, {@code delete-batch} events at a time until a
 * batch comes back short; in today's (which has no such index) in one pass of {@code scan-blocks}
 * blocks a statement. Then the regulation is FINISHED and its subject ids are cleared. A replica
 * that stops mid-way leaves RUNNING with a lease that expires, and the next run anywhere resumes it
 * (the deletion is idempotent). The state is the database's, so restarts lose nothing.
 */
@ApplicationScoped
public class RegulationJob {

  private final RegulationRepository regulations;
  private final RetentionRepository partitions;
  private final RegulationsConfig config;
  private final Clock clock;

  /** This replica's identity in the leases. */
  private final UUID owner = UUID.randomUUID();

  private final AtomicLong overdue = new AtomicLong();
  private final Counter eventsDeleted;

  public RegulationJob(
      RegulationRepository regulations,
      RetentionRepository partitions,
      RegulationsConfig config,
      Clock clock,
      MeterRegistry registry) {
    this.regulations = regulations;
    this.partitions = partitions;
    this.config = config;
    this.clock = clock;
    this.eventsDeleted = registry.counter("tributary.regulations.events.deleted");
    registry.gauge("tributary.regulations.overdue", overdue);
  }

  @Scheduled(
      every = "${tributary.regulations.job-poll:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class,
      identity = "regulation-job")
  Uni<Void> scheduled() {
    return run()
        .onFailure()
        .invoke(e -> Log.warnf("regulation job run failed: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /**
   * One run: works on open deletions one after another until none is claimable; answers how many it
   * finished. Also refreshes the overdue gauge.
   */
  public Uni<Integer> run() {
    return refreshOverdue().flatMap(ignored -> next(0));
  }

  private Uni<Integer> next(int finished) {
    Instant now = clock.instant();
    return regulations
        .claim(owner, now, now.minus(config.startDelay()), now.plus(config.lease()))
        .flatMap(
            claimed ->
                claimed.isEmpty()
                    ? Uni.createFrom().item(finished)
                    : work(claimed.get())
                        // After a failure the run stops: the next attempt waits one lease.
                        .flatMap(
                            done -> done ? next(finished + 1) : Uni.createFrom().item(finished)));
  }

  /** Deletes until done; answers true when FINISHED, false when the attempt failed. */
  private Uni<Boolean> work(Claimed claimed) {
    SubjectType subject = SubjectType.valueOf(claimed.subjectType());
    return regulations
        .subjectPartitions(subject.indexSuffix())
        .flatMap(partitions -> deleteFrom(claimed, subject.field(), partitions, 0))
        .flatMap(ignored -> regulations.finish(claimed.id(), owner, clock.instant()))
        .invoke(() -> Log.infof("regulation %s finished", claimed.id()))
        .replaceWith(true)
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf("regulation %s: attempt failed: %s", claimed.id(), failure.toString());
              return regulations
                  .failAttempt(
                      claimed.id(),
                      owner,
                      failure.getClass().getSimpleName(),
                      config.maxAttempts(),
                      clock.instant(),
                      clock.instant().plus(config.lease()))
                  .replaceWith(false);
            });
  }

  /** The partitions one after another, from the {@code next}-th. */
  private Uni<Void> deleteFrom(
      Claimed claimed, String field, List<SubjectPartition> partitions, int next) {
    if (next == partitions.size()) {
      return Uni.createFrom().voidItem();
    }
    SubjectPartition partition = partitions.get(next);
    Uni<Void> deleted =
        partition.indexed()
            ? deleteIndexed(claimed, field, partition.name())
            : deleteInBlocks(claimed, field, partition, 0);
    return deleted.flatMap(ignored -> deleteFrom(claimed, field, partitions, next + 1));
  }

  /** A past day's partition: through its subject index, a batch at a time until one comes short. */
  private Uni<Void> deleteIndexed(Claimed claimed, String field, String partition) {
    return regulations
        .deleteIndexed(
            claimed,
            partition,
            field,
            owner,
            config.deleteBatch(),
            clock.instant().plus(config.lease()))
        .flatMap(
            deleted -> {
              eventsDeleted.increment(deleted);
              return deleted < config.deleteBatch()
                  ? Uni.createFrom().voidItem()
                  : deleteIndexed(claimed, field, partition);
            });
  }

  /**
   * Today's (or the default) partition, which has no subject index so that the inserts do not pay
   * for one: one pass over the blocks it had when the deletion reached it, {@code scan-blocks} at a
   * time. Events stored after that are the subject's new ones, which a suppression refuses.
   */
  private Uni<Void> deleteInBlocks(
      Claimed claimed, String field, SubjectPartition partition, long from) {
    if (from >= partition.blocks()) {
      return Uni.createFrom().voidItem();
    }
    long to = Math.min(partition.blocks(), from + config.scanBlocks());
    return regulations
        .deleteInBlocks(
            claimed, partition.name(), field, owner, from, to, clock.instant().plus(config.lease()))
        .flatMap(
            deleted -> {
              eventsDeleted.increment(deleted);
              return deleteInBlocks(claimed, field, partition, to);
            });
  }

  /**
   * Builds the subject indexes of the partitions whose day has ended (README "Regulations"), one at
   * a time, without blocking their inserts; the current day's partition gets none, so the hot
   * insert maintains no index on the subjects. At most one replica builds at a time.
   */
  @Scheduled(
      every = "${tributary.regulations.index-every:10m}",
      delayed = "${tributary.regulations.index-delay:1m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class,
      identity = "subject-indexes")
  Uni<Void> scheduledIndexes() {
    return buildIndexes()
        .onFailure()
        .invoke(e -> Log.warnf("subject index build failed, retried later: %s", e.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Builds the missing (or invalid) subject indexes of ended days; answers how many it built. */
  public Uni<Integer> buildIndexes() {
    Instant now = clock.instant();
    return partitions
        .partitions()
        .map(
            all ->
                all.stream()
                    .filter(p -> !p.isDefault() && !p.to().isAfter(now))
                    .flatMap(
                        p ->
                            Arrays.stream(SubjectType.values())
                                .map(s -> new IndexToBuild(p.name(), s)))
                    .toList())
        .flatMap(todo -> build(todo, 0, 0));
  }

  private record IndexToBuild(String partition, SubjectType subject) {
    String index() {
      return partition + subject.indexSuffix();
    }
  }

  private Uni<Integer> build(List<IndexToBuild> todo, int next, int built) {
    if (next == todo.size()) {
      return Uni.createFrom().item(built);
    }
    IndexToBuild index = todo.get(next);
    return regulations
        .subjectIndex(index.index())
        .flatMap(
            state -> {
              if (state.orElse(false)) {
                return Uni.createFrom().item(built);
              }
              long started = System.nanoTime();
              return regulations
                  .buildSubjectIndex(index.partition(), index.subject().field(), index.index())
                  .invoke(
                      done -> {
                        if (done) {
                          Log.infof(
                              "built subject index %s in %d ms",
                              index.index(), (System.nanoTime() - started) / 1_000_000);
                        }
                      })
                  .map(done -> done ? built + 1 : built);
            })
        .flatMap(count -> build(todo, next + 1, count));
  }

  private Uni<Void> refreshOverdue() {
    return regulations.overdue(clock.instant()).invoke(overdue::set).replaceWithVoid();
  }

  /** Regulations past their deadline and not FINISHED, as last counted. */
  public long overdue() {
    return overdue.get();
  }
}
