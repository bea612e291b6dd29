package dev.tributary.notice.service;

import dev.tributary.notice.config.DeliveryConfig;
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
import dev.tributary.notice.repository.DeliveryOutbox;
import dev.tributary.notice.repository.DeliveryOutbox.Claimed;
import dev.tributary.notice.repository.NoticeRecipientRepository;
import dev.tributary.notice.repository.NoticeRepository;
import dev.tributary.notice.service.DeliverySender.Source;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Claims due deliveries batch by batch ({@link DeliveryOutbox#claim}) and reads what their messages
 * are rendered from: the notices once per run (a notice never changes), the recipient snapshots
 * once per batch, in one statement. A {@link Run} claims the next batch while the current one is
 * being sent, so the sends do not wait for the database between two batches.
 */
@ApplicationScoped
public class DueDeliveries {

  /** A claimed delivery and what its message is rendered from (null when that is missing). */
  public record Due(Claimed delivery, Source source) {}

  /** A claimed batch. */
  public record Batch(List<Due> deliveries) {

    public int size() {
      return deliveries.size();
    }
  }

  private final DeliveryOutbox outbox;
  private final NoticeRepository notices;
  private final NoticeRecipientRepository recipients;
  private final SmsSender sms;
  private final DeliveryConfig config;
  private final Clock clock;
  private final int batchSize;

  public DueDeliveries(
      DeliveryOutbox outbox,
      NoticeRepository notices,
      NoticeRecipientRepository recipients,
      SmsSender sms,
      ProviderPacer pacer,
      DeliveryConfig config,
      Clock clock) {
    this.outbox = outbox;
    this.notices = notices;
    this.recipients = recipients;
    this.sms = sms;
    this.config = config;
    this.clock = clock;
    this.batchSize = batchSize(config, pacer.slowestRate());
  }

  /**
   * {@code batch-size}, but never more than the slowest paced provider sends in half a lease: a
   * claimed delivery waiting for its turn must not lose its lease to another worker.
   */
  private static int batchSize(DeliveryConfig config, OptionalDouble slowestRate) {
    int size = config.batchSize();
    if (slowestRate.isPresent()) {
      double halfLeaseSeconds = config.lease().toMillis() / 2000.0;
      int paced = (int) Math.max(1, Math.floor(slowestRate.getAsDouble() * halfLeaseSeconds));
      if (paced < size) {
        Log.infof(
            "claiming %d deliveries at a time (not %d): the slowest provider sends %s a second",
            paced, size, slowestRate.getAsDouble());
        size = paced;
      }
    }
    return size;
  }

  /** How many deliveries a claim takes at most; a batch of that size is followed by another. */
  public int batchSize() {
    return batchSize;
  }

  /** The claims of one worker run. */
  public Run run() {
    return new Run();
  }

  /** One claim transaction (tests race two of them). */
  Uni<List<Claimed>> claim() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return outbox.claim(now, now.plus(config.lease()), batchSize, channels());
  }

  /** The channels claimed: SMS only once an SMS provider is configured. */
  private String[] channels() {
    return sms.configured()
        ? new String[] {Channel.EMAIL.name(), Channel.SMS.name()}
        : new String[] {Channel.EMAIL.name()};
  }

  /** A run's claims, one batch ahead of the sends. */
  public final class Run {

    private final Map<UUID, Notice> read = new HashMap<>();
    private Uni<Batch> ahead;

    private Run() {}

    /** The next batch: claimed already when the previous one was full. */
    public Uni<Batch> next() {
      Uni<Batch> current = ahead == null ? claimBatch() : ahead;
      ahead = null;
      return current.invoke(
          batch -> {
            if (batch.size() == batchSize) {
              ahead = claimBatch().memoize().indefinitely();
              // Started now; the worker takes its result once this batch has been handed out.
              ahead.subscribe().with(ignored -> {}, ignored -> {});
            }
          });
    }

    private Uni<Batch> claimBatch() {
      return claim()
          .flatMap(
              claimed ->
                  claimed.isEmpty()
                      ? Uni.createFrom().item(new Batch(List.of()))
                      : readNotices(claimed)
                          .chain(
                              () ->
                                  recipients.findByKeys(
                                      claimed.stream()
                                          .map(DueDeliveries::key)
                                          .collect(Collectors.toSet())))
                          .map(snapshots -> batch(claimed, snapshots)));
    }

    private Uni<Void> readNotices(List<Claimed> claimed) {
      Set<UUID> unread =
          claimed.stream()
              .map(Claimed::noticeId)
              .filter(id -> !read.containsKey(id))
              .collect(Collectors.toSet());
      if (unread.isEmpty()) {
        return Uni.createFrom().voidItem();
      }
      return Panache.withSession(() -> notices.list("id in ?1", unread))
          .invoke(found -> found.forEach(notice -> read.put(notice.id, notice)))
          .replaceWithVoid();
    }

    private Batch batch(List<Claimed> claimed, List<NoticeRecipient> snapshots) {
      Map<NoticeRecipient.Key, NoticeRecipient> byKey = new HashMap<>();
      snapshots.forEach(r -> byKey.put(new NoticeRecipient.Key(r.noticeId, r.workspaceId), r));
      // One source per recipient workspace: its contacts' deliveries share the rendered email.
      Map<NoticeRecipient.Key, Source> sources = new HashMap<>();
      return new Batch(
          claimed.stream()
              .map(
                  delivery -> {
                    NoticeRecipient recipient = byKey.get(key(delivery));
                    Notice notice = read.get(delivery.noticeId());
                    return new Due(
                        delivery,
                        recipient == null || notice == null
                            ? null
                            : sources.computeIfAbsent(
                                key(delivery), ignored -> new Source(notice, recipient)));
                  })
              .toList());
    }
  }

  private static NoticeRecipient.Key key(Claimed delivery) {
    return new NoticeRecipient.Key(delivery.noticeId(), delivery.workspaceId());
  }
}
