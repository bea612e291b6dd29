package dev.tributary.ingestion.service;

import dev.tributary.ingestion.client.Notices;
import dev.tributary.ingestion.config.LifecycleConfig;
import dev.tributary.ingestion.repository.SuspensionRepository;
import dev.tributary.ingestion.repository.SuspensionRepository.StoredSuspension;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes pending suspensions into effect once their written notice was delivered, and retries the
 * notices notice-service could not take. Runs on every replica every {@code
 * tributary.lifecycle.notice-poll}; two replicas doing the same work at once are harmless: notice
 * creation is idempotent (the Idempotency-Key is the suspension's id) and activation is a
 * conditional update that only one of them makes.
 *
 * <p>"Delivered" means at least one of the notice's deliveries is SENT: the mail provider accepted
 * the message for a designated contact, which is the evidence notice-service keeps (content
 * SHA-256, provider message id, acceptance time). Failed deliveries alone never activate a
 * suspension; it then stays PENDING_NOTICE, visible in {@code GET .../suspension} and in the {@code
 * tributary_suspensions_pending} gauge.
 */
@ApplicationScoped
public class SuspensionJob {

  private final SuspensionRepository suspensions;
  private final SuspensionService service;
  private final Notices notices;
  private final SourceAuthenticator authenticator;
  private final Clock clock;
  private final int batch;
  private final AtomicLong suspended = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();

  public SuspensionJob(
      SuspensionRepository suspensions,
      SuspensionService service,
      Notices notices,
      SourceAuthenticator authenticator,
      Clock clock,
      LifecycleConfig config,
      MeterRegistry registry) {
    this.suspensions = suspensions;
    this.service = service;
    this.notices = notices;
    this.authenticator = authenticator;
    this.clock = clock;
    this.batch = config.batch();
    Gauge.builder("tributary.workspaces.suspended", suspended, AtomicLong::get)
        .description("Workspaces whose suspension is in effect (their write keys get 403)")
        .register(registry);
    Gauge.builder("tributary.suspensions.pending", pending, AtomicLong::get)
        .description("Suspensions asked for whose written notice is not delivered yet")
        .register(registry);
  }

  @Scheduled(
      every = "${tributary.lifecycle.notice-poll:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> run() {
    return activatePending()
        .flatMap(ignored -> notifyLifts())
        .flatMap(ignored -> suspensions.countOpen())
        .invoke(
            counts -> {
              suspended.set(counts[0]);
              pending.set(counts[1]);
            })
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            e -> {
              Log.warnf("the suspension job failed (next run retries): %s", e.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /** One pass over the pending suspensions; answers how many took effect. */
  public Uni<Integer> activatePending() {
    return suspensions
        .pending(batch)
        .flatMap(
            list ->
                Multi.createFrom()
                    .iterable(list)
                    .onItem()
                    .transformToUniAndConcatenate(this::advance)
                    .collect()
                    .asList())
        .map(results -> (int) results.stream().filter(Boolean::booleanValue).count());
  }

  private Uni<Boolean> advance(StoredSuspension s) {
    if (s.noticeId() == null) {
      return service.sendNotice(s.id(), s.workspaceId(), s.reason()).replaceWith(false);
    }
    return notices
        .status(s.noticeId())
        .flatMap(
            status -> {
              if (!status.delivered()) {
                return Uni.createFrom().item(false);
              }
              Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
              return suspensions
                  .activate(s.id(), now)
                  .invoke(
                      activated -> {
                        if (activated) {
                          authenticator.invalidateAll();
                          Log.infof(
                              "suspension %s of workspace %s in effect: its notice %s was"
                                  + " delivered",
                              s.id(), s.workspaceId(), s.noticeId());
                        }
                      });
            })
        .onFailure()
        .recoverWithUni(
            e -> {
              Log.warnf(
                  "cannot read the delivery of the notice of suspension %s: %s",
                  s.id(), e.toString());
              return Uni.createFrom().item(false);
            });
  }

  private Uni<List<Void>> notifyLifts() {
    return suspensions
        .liftsToNotify(batch)
        .flatMap(
            list ->
                Multi.createFrom()
                    .iterable(list)
                    .onItem()
                    .transformToUniAndConcatenate(service::sendLiftNotice)
                    .collect()
                    .asList());
  }
}
