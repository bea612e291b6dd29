package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.RegulationsConfig;
import dev.tributary.ingestion.repository.RegulationRepository;
import dev.tributary.ingestion.repository.RegulationRepository.Claimed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes the events of the regulations' subjects. Every replica runs it: a run claims one open
 * deletion under a lease ({@code for update skip locked}, so two replicas never work on the same
 * one), deletes its events in batches of {@code tributary.regulations.delete-batch}, each batch its
 * own short statement that also renews the lease, until a batch comes back short; then the
 * regulation is FINISHED and its subject ids are cleared. A replica that stops mid-way leaves
 * RUNNING with a lease that expires, and the next run anywhere resumes it (the deletion is
 * idempotent). The state is the database's, so restarts lose nothing.
 */
@ApplicationScoped
public class RegulationJob {

  private final RegulationRepository regulations;
  private final RegulationsConfig config;
  private final Clock clock;

  /** This replica's identity in the leases. */
  private final UUID owner = UUID.randomUUID();

  private final AtomicLong overdue = new AtomicLong();
  private final Counter eventsDeleted;

  public RegulationJob(
      RegulationRepository regulations,
      RegulationsConfig config,
      Clock clock,
      MeterRegistry registry) {
    this.regulations = regulations;
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
    String field = SubjectType.valueOf(claimed.subjectType()).field();
    return deleteAll(claimed, field)
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

  private Uni<Void> deleteAll(Claimed claimed, String field) {
    return regulations
        .deleteBatch(
            claimed, field, owner, config.deleteBatch(), clock.instant().plus(config.lease()))
        .flatMap(
            deleted -> {
              eventsDeleted.increment(deleted);
              return deleted < config.deleteBatch()
                  ? Uni.createFrom().voidItem()
                  : deleteAll(claimed, field);
            });
  }

  private Uni<Void> refreshOverdue() {
    return regulations.overdue(clock.instant()).invoke(overdue::set).replaceWithVoid();
  }

  /** Regulations past their deadline and not FINISHED, as last counted. */
  public long overdue() {
    return overdue.get();
  }
}
