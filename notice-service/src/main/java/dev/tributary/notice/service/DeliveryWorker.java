package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import dev.tributary.notice.repository.DeliveryOutbox.Attempt;
import dev.tributary.notice.repository.DeliveryOutbox.Claimed;
import dev.tributary.notice.service.DeliverySender.Sent;
import dev.tributary.notice.service.DueDeliveries.Batch;
import dev.tributary.notice.service.DueDeliveries.Due;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Sends the outbox's deliveries: drains what is due, {@code parallelism} messages at a time.
 *
 * <p>A run is one stream: batches claimed by {@link DueDeliveries} (the next one while the current
 * one is being sent), at most {@code parallelism} messages handed to {@link DeliverySender} at once
 * whatever batch they belong to (each provider paced by {@link ProviderPacer}), outside any
 * transaction, and the attempts recorded by {@link AttemptLedger} in groups of {@value
 * #RECORD_GROUP} as they complete, at most {@value #RECORDING} groups at a time (the sends slow
 * down to what the database records). A full batch is followed at once by the next one; the run
 * ends with the first batch that is not full. Runs start every {@code poll-interval} and as soon as
 * a notice is created.
 *
 * <p>A crash after a provider accepted a message but before its group was recorded leaves the row
 * SENDING; once the lease expires it is claimed and sent again. That is at-least-once on purpose: a
 * legal notice sent twice is harmless, one never sent is not. The resend carries the same {@code
 * Message-ID} (derived from the delivery id), so it is recognisable as the same message by the
 * recipient's mail system and in the provider's logs. An SMS resend is not marked (the Messages API
 * takes no idempotency key): the customer may get the text twice. A crash resends at most the
 * messages of the groups not yet recorded; the deliveries claimed but not yet sent wait for their
 * lease. A run that fails (the database went away while recording) hands out no new send, but the
 * at most {@code parallelism} already handed out still go out unrecorded, and are resent likewise.
 *
 * <p>SMS deliveries are claimed only once an SMS provider is configured; until then they stay
 * PENDING.
 */
@ApplicationScoped
@Startup // its meter is there from the start
public class DeliveryWorker {

  /** Event-bus address of a committed notice's id ({@link NoticeService} sends it). */
  public static final String NOTICE_CREATED = "tributary.notice.created";

  /**
   * Attempts recorded per transaction: few enough that a crash resends little, enough that 30,000
   * messages are not 30,000 commits.
   */
  static final int RECORD_GROUP = 50;

  /** Groups being recorded at once, at most. */
  static final int RECORDING = 4;

  private final DueDeliveries due;
  private final DeliverySender sender;
  private final AttemptLedger ledger;
  private final DeliveryConfig config;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Runs asked for: 0 idle, 1 one under way, more: it goes round once more when done. */
  private final AtomicInteger wanted = new AtomicInteger();

  public DeliveryWorker(
      DueDeliveries due,
      DeliverySender sender,
      AttemptLedger ledger,
      DeliveryConfig config,
      MeterRegistry registry) {
    this.due = due;
    this.sender = sender;
    this.ledger = ledger;
    this.config = config;
    Gauge.builder("tributary.notice.deliveries.in_flight", inFlight, AtomicInteger::get)
        .description("Deliveries being sent right now, pacing waits included")
        .register(registry);
  }

  /**
   * Drains the outbox, unless a run is under way: that one then goes round once more, so a request
   * is never lost and two runs never go side by side in one process.
   */
  @Scheduled(
      every = "${tributary.notice.delivery.poll-interval:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> poll() {
    if (wanted.getAndIncrement() > 0) {
      return Uni.createFrom().voidItem();
    }
    return Multi.createBy()
        .repeating()
        .uni(
            () -> {
              wanted.set(1);
              return runOnce()
                  .onFailure()
                  .invoke(e -> Log.warnf("delivery run failed: %s", EmailSender.brief(e)))
                  .onFailure()
                  .recoverWithItem(0);
            })
        .whilst(ignored -> wanted.decrementAndGet() > 0)
        .collect()
        .last()
        .replaceWithVoid();
  }

  /**
   * A notice was just committed: sends its deliveries now rather than at the next poll, unless
   * {@code start-on-create} is off. Quarkus runs the consumer on a fresh duplicated context, not
   * the creating request's.
   */
  @ConsumeEvent(NOTICE_CREATED)
  Uni<Void> noticeCreated(String noticeId) {
    return config.startOnCreate() ? poll() : Uni.createFrom().voidItem();
  }

  /**
   * Sends every due delivery, batch after batch, until a claim comes back short of a full batch;
   * answers how many deliveries were handled (sent, retried later or failed).
   */
  public Uni<Integer> runOnce() {
    long start = System.nanoTime();
    DueDeliveries.Run run = due.run();
    return Multi.createBy()
        .repeating()
        .uni(run::next)
        .whilst(batch -> batch.size() == due.batchSize())
        .onItem()
        .transformToIterable(Batch::deliveries)
        .onItem()
        .transformToUni(this::attempt)
        .merge(config.parallelism())
        .group()
        .intoLists()
        .of(RECORD_GROUP)
        .onItem()
        .transformToUni(ledger::record)
        .merge(RECORDING)
        .collect()
        .with(Collectors.summingInt(Integer::intValue))
        .invoke(
            total -> {
              if (total > 0) {
                Log.infof(
                    "handled %d deliveries in %d ms",
                    total, Duration.ofNanos(System.nanoTime() - start).toMillis());
              }
            });
  }

  /** One attempt; never fails: a failure is an attempt to record too. */
  private Uni<Attempt> attempt(Due next) {
    Claimed delivery = next.delivery();
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Instant started = ledger.now();
              inFlight.incrementAndGet();
              Future<Sent> sending =
                  next.source() == null
                      ? Future.failedFuture(
                          new IllegalStateException("no notice or recipient snapshot"))
                      : sender.send(delivery, next.source());
              sending.onComplete(
                  result -> {
                    inFlight.decrementAndGet();
                    emitter.complete(
                        result.succeeded()
                            ? ledger.sent(delivery, started, result.result())
                            : ledger.unsent(delivery, started, result.cause()));
                  });
            });
  }
}
