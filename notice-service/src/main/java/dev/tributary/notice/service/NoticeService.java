package dev.tributary.notice.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tributary.notice.client.WorkspaceDirectory;
import dev.tributary.notice.client.WorkspaceRecord;
import dev.tributary.notice.client.WorkspaceRecord.ContactRecord;
import dev.tributary.notice.config.ReminderConfig;
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.Delivery;
import dev.tributary.notice.domain.DeliveryStage;
import dev.tributary.notice.domain.DeliveryStatus;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeKind;
import dev.tributary.notice.domain.NoticeRecipient;
import dev.tributary.notice.dto.NoticeDtos.CreateNotice;
import dev.tributary.notice.dto.NoticeDtos.CreatedNotice;
import dev.tributary.notice.mapping.NoticeMapper;
import dev.tributary.notice.repository.DeliveryRepository;
import dev.tributary.notice.repository.NoticeRecipientRepository;
import dev.tributary.notice.repository.NoticeRepository;
import dev.tributary.notice.repository.NoticeWriter;
import dev.tributary.support.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.eventbus.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Creates notices with their audience snapshot and outbox deliveries (reading them back is {@link
 * NoticeQueries}).
 *
 * <p>Creation checks the agreement's rules, reads the workspaces from ingestion-api (in pages,
 * outside any transaction), then writes the notice, its recipients and one PENDING delivery per
 * (workspace, contact address, channel, stage) in one transaction ({@link NoticeWriter}): the
 * transactional outbox. Either all of it is committed or nothing is.
 */
@ApplicationScoped
public class NoticeService {

  /** Canonical JSON of a request (sorted keys), for the Idempotency-Key body comparison. */
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
          .build();

  private final NoticeRepository notices;
  private final NoticeRecipientRepository recipients;
  private final DeliveryRepository deliveries;
  private final NoticeWriter writer;
  private final WorkspaceDirectory directory;
  private final NoticeRules rules;
  private final NoticeMapper mapper;
  private final Clock clock;
  private final Duration reminderLead;
  private final EventBus bus;

  public NoticeService(
      NoticeRepository notices,
      NoticeRecipientRepository recipients,
      DeliveryRepository deliveries,
      NoticeWriter writer,
      WorkspaceDirectory directory,
      NoticeRules rules,
      NoticeMapper mapper,
      Clock clock,
      ReminderConfig reminderConfig,
      EventBus bus) {
    this.notices = notices;
    this.recipients = recipients;
    this.deliveries = deliveries;
    this.writer = writer;
    this.directory = directory;
    this.rules = rules;
    this.mapper = mapper;
    this.clock = clock;
    this.reminderLead = reminderConfig.lead();
    this.bus = bus;
  }

  /**
   * Creates a notice, or answers the one created earlier with the same {@code idempotencyKey} and
   * the same body (409 {@code idempotency_key_reused} for another body).
   */
  public Uni<CreateResult> create(CreateNotice request, String idempotencyKey) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
    if (key == null) {
      return Uni.createFrom()
          .item(() -> rules.check(request, now))
          .flatMap(notice -> createNew(notice, now, null, null));
    }
    String requestSha256 = fingerprint(request);
    // A repeated request answers what the first one created, even once its rules (a notice
    // period counted from now) would no longer hold.
    return Panache.withSession(() -> replay(key, requestSha256))
        .flatMap(
            existing -> {
              if (existing != null) {
                return Uni.createFrom().item(new CreateResult(existing, true));
              }
              return Uni.createFrom()
                  .item(() -> rules.check(request, now))
                  .flatMap(notice -> createNew(notice, now, key, requestSha256))
                  .onFailure(NoticeService::isIdempotencyKeyTaken)
                  // A concurrent request with this key committed first: answer its notice.
                  .recoverWithUni(
                      () ->
                          Panache.withSession(() -> replay(key, requestSha256))
                              .map(again -> new CreateResult(again, true)));
            });
  }

  private Uni<CreateResult> createNew(
      Notice notice, Instant now, String idempotencyKey, String requestSha256) {
    notice.createdAt = now;
    notice.idempotencyKey = idempotencyKey;
    notice.requestSha256 = requestSha256;
    return Panache.withSession(() -> checkRelatedNotice(notice))
        .flatMap(ignored -> workspaces())
        .flatMap(
            workspaces -> {
              List<WorkspaceRecord> audience = AudienceSelector.select(notice.audience, workspaces);
              notice.id = UUID.randomUUID();
              List<NoticeRecipient> snapshot =
                  audience.stream().map(w -> recipient(notice, w)).toList();
              List<Delivery> outbox = deliveries(notice, audience);
              List<Delivery> reminders = reminders(notice, outbox);
              List<Delivery> all = new ArrayList<>(outbox);
              all.addAll(reminders);
              long start = System.nanoTime();
              return writer
                  .create(notice, snapshot, all, remindersToCancel(notice))
                  .invoke(
                      cancelled ->
                          Log.infof(
                              "created %s notice %s for %d workspaces with %d deliveries and %d"
                                  + " reminders in %d ms%s",
                              notice.kind,
                              notice.id,
                              snapshot.size(),
                              outbox.size(),
                              reminders.size(),
                              (System.nanoTime() - start) / 1_000_000,
                              cancelled > 0
                                  ? "; cancelled "
                                      + cancelled
                                      + " pending reminders of notice "
                                      + notice.relatedNoticeId
                                  : ""))
                  // The delivery worker starts on it at once.
                  .invoke(() -> bus.send(DeliveryWorker.NOTICE_CREATED, notice.id.toString()))
                  .map(
                      ignored ->
                          new CreateResult(
                              mapper.toCreated(notice, snapshot.size(), outbox.size()), false));
            });
  }

  /**
   * A maintenance (or rescheduled maintenance) whose window starts more than the reminder lead
   * ahead also gets a REMINDER delivery per NOTICE delivery, due at {@code windowStart - lead}; the
   * worker only claims rows whose {@code next_attempt_at} has come.
   */
  private List<Delivery> reminders(Notice notice, List<Delivery> outbox) {
    if (notice.kind != NoticeKind.MAINTENANCE
        && notice.kind != NoticeKind.MAINTENANCE_RESCHEDULED) {
      return List.of();
    }
    Instant due = notice.windowStart.minus(reminderLead);
    if (!due.isAfter(notice.createdAt)) {
      return List.of();
    }
    List<Delivery> reminders = new ArrayList<>();
    for (Delivery delivery : outbox) {
      Delivery reminder = new Delivery();
      reminder.id = UUID.randomUUID();
      reminder.noticeId = delivery.noticeId;
      reminder.workspaceId = delivery.workspaceId;
      reminder.contactName = delivery.contactName;
      reminder.channel = delivery.channel;
      reminder.address = delivery.address;
      reminder.status = DeliveryStatus.PENDING;
      reminder.stage = DeliveryStage.REMINDER;
      reminder.attempts = 0;
      reminder.nextAttemptAt = due;
      reminder.createdAt = notice.createdAt;
      reminders.add(reminder);
    }
    return reminders;
  }

  /**
   * A cancellation or rescheduling of a maintenance cancels the related notice's reminders that
   * have not gone out yet (a rescheduling writes reminders of its own), in the notice's
   * transaction. A reminder being sent right now (SENDING) is left alone: it may already have
   * reached the provider.
   */
  private static UUID remindersToCancel(Notice notice) {
    boolean cancels =
        notice.kind == NoticeKind.MAINTENANCE_CANCELLED
            || notice.kind == NoticeKind.MAINTENANCE_RESCHEDULED;
    return cancels ? notice.relatedNoticeId : null;
  }

  private Uni<List<WorkspaceRecord>> workspaces() {
    return directory.all().onFailure().transform(WorkspaceDirectory::unavailable);
  }

  private Uni<Void> checkRelatedNotice(Notice notice) {
    if (notice.relatedNoticeId == null) {
      return Uni.createFrom().voidItem();
    }
    return notices
        .findById(notice.relatedNoticeId)
        .map(
            related -> {
              if (related == null || !related.kind.isMaintenance()) {
                throw ApiException.unprocessable(
                    "unknown_related_notice",
                    "relatedNoticeId must be the id of an existing maintenance notice");
              }
              return null;
            });
  }

  /** The notice created earlier with {@code key}, or null; 409 when it was another request. */
  private Uni<CreatedNotice> replay(String key, String requestSha256) {
    return notices
        .findByIdempotencyKey(key)
        .flatMap(
            existing -> {
              if (existing == null) {
                return Uni.createFrom().nullItem();
              }
              if (!existing.requestSha256.equals(requestSha256)) {
                return Uni.createFrom()
                    .failure(
                        new ApiException(
                            409,
                            "idempotency_key_reused",
                            "this Idempotency-Key was used for another request (notice "
                                + existing.id
                                + ")"));
              }
              return recipients
                  .count("noticeId", existing.id)
                  .flatMap(
                      recipientCount ->
                          deliveries
                              .count(
                                  "noticeId = ?1 and stage = ?2", existing.id, DeliveryStage.NOTICE)
                              .map(
                                  deliveryCount ->
                                      mapper.toCreated(
                                          existing,
                                          recipientCount.intValue(),
                                          deliveryCount.intValue())));
            });
  }

  private static NoticeRecipient recipient(Notice notice, WorkspaceRecord workspace) {
    NoticeRecipient recipient = new NoticeRecipient();
    recipient.noticeId = notice.id;
    recipient.workspaceId = workspace.id();
    recipient.workspaceName = workspace.name() == null ? "" : workspace.name();
    recipient.timeZone = workspace.timeZone() == null ? "UTC" : workspace.timeZone();
    recipient.workspaceCreatedAt =
        workspace.createdAt() == null ? notice.createdAt : workspace.createdAt();
    return recipient;
  }

  /**
   * One PENDING delivery per workspace, contact address and channel of the notice; an address two
   * contacts of a workspace share gets the message once.
   */
  private static List<Delivery> deliveries(Notice notice, List<WorkspaceRecord> audience) {
    List<Delivery> outbox = new ArrayList<>();
    for (WorkspaceRecord workspace : audience) {
      Set<String> seen = new HashSet<>();
      for (ContactRecord contact : workspace.contactsOrEmpty()) {
        for (Channel channel : notice.channelList()) {
          String address = channel == Channel.EMAIL ? contact.email() : contact.phone();
          if (address == null || address.isBlank() || !seen.add(channel + " " + address.strip())) {
            continue;
          }
          Delivery delivery = new Delivery();
          delivery.id = UUID.randomUUID();
          delivery.noticeId = notice.id;
          delivery.workspaceId = workspace.id();
          delivery.contactName = contact.name();
          delivery.channel = channel;
          delivery.address = address.strip();
          delivery.status = DeliveryStatus.PENDING;
          delivery.stage = DeliveryStage.NOTICE;
          delivery.attempts = 0;
          delivery.nextAttemptAt = notice.createdAt;
          delivery.createdAt = notice.createdAt;
          outbox.add(delivery);
        }
      }
    }
    return outbox;
  }

  private static boolean isIdempotencyKeyTaken(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && message.contains("notices_idempotency_key_unique")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  static String fingerprint(CreateNotice request) {
    try {
      byte[] canonical = CANONICAL.writeValueAsBytes(request);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the request", e);
    }
  }
}
