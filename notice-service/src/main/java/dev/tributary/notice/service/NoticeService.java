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
import dev.tributary.notice.dto.NoticeDtos.AttemptView;
import dev.tributary.notice.dto.NoticeDtos.CreateNotice;
import dev.tributary.notice.dto.NoticeDtos.CreatedNotice;
import dev.tributary.notice.dto.NoticeDtos.DeliveryView;
import dev.tributary.notice.dto.NoticeDtos.NoticeView;
import dev.tributary.notice.dto.NoticeDtos.WorkspaceNoticeView;
import dev.tributary.notice.mapping.NoticeMapper;
import dev.tributary.notice.repository.DeliveryRepository;
import dev.tributary.notice.repository.NoticeRecipientRepository;
import dev.tributary.notice.repository.NoticeRepository;
import dev.tributary.support.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Creates notices with their audience snapshot and outbox deliveries, and reads them back.
 *
 * <p>Creation reads the workspaces from ingestion-api first (outside any transaction), then writes
 * the notice, its recipients and one PENDING delivery per (workspace, contact address, channel) in
 * one transaction: the transactional outbox. Either all of it is committed or nothing is, so a
 * notice never exists without its deliveries and a delivery never exists without its notice.
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
  private final WorkspaceDirectory directory;
  private final NoticeRules rules;
  private final NoticeMapper mapper;
  private final Clock clock;
  private final Pool pool;
  private final Duration reminderLead;

  public NoticeService(
      NoticeRepository notices,
      NoticeRecipientRepository recipients,
      DeliveryRepository deliveries,
      WorkspaceDirectory directory,
      NoticeRules rules,
      NoticeMapper mapper,
      Clock clock,
      Pool pool,
      ReminderConfig reminderConfig) {
    this.notices = notices;
    this.recipients = recipients;
    this.deliveries = deliveries;
    this.directory = directory;
    this.rules = rules;
    this.mapper = mapper;
    this.clock = clock;
    this.pool = pool;
    this.reminderLead = reminderConfig.lead();
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
              return Panache.withTransaction(
                      () ->
                          notices
                              .persist(notice)
                              .chain(() -> persistAll(recipients, snapshot))
                              .chain(() -> persistAll(deliveries, all))
                              .chain(() -> cancelRelatedReminders(notice)))
                  .invoke(
                      () ->
                          Log.infof(
                              "created %s notice %s for %d workspaces with %d deliveries and %d"
                                  + " reminders",
                              notice.kind,
                              notice.id,
                              snapshot.size(),
                              outbox.size(),
                              reminders.size()))
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
  private Uni<Void> cancelRelatedReminders(Notice notice) {
    if (notice.relatedNoticeId == null
        || (notice.kind != NoticeKind.MAINTENANCE_CANCELLED
            && notice.kind != NoticeKind.MAINTENANCE_RESCHEDULED)) {
      return Uni.createFrom().voidItem();
    }
    return deliveries
        .update(
            "status = ?1, lastError = ?2 where noticeId = ?3 and stage = ?4 and status = ?5",
            DeliveryStatus.CANCELLED,
            "cancelled by " + notice.kind + " notice " + notice.id,
            notice.relatedNoticeId,
            DeliveryStage.REMINDER,
            DeliveryStatus.PENDING)
        .invoke(
            count ->
                Log.infof(
                    "%s notice %s cancelled %d pending reminders of notice %s",
                    notice.kind, notice.id, count, notice.relatedNoticeId))
        .replaceWithVoid();
  }

  private Uni<List<WorkspaceRecord>> workspaces() {
    return directory.all().onFailure().transform(WorkspaceDirectory::unavailable);
  }

  private static <E, I> Uni<Void> persistAll(
      PanacheRepositoryBase<E, I> repository, List<E> entities) {
    return entities.isEmpty() ? Uni.createFrom().voidItem() : repository.persist(entities);
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

  @WithSession
  public Uni<NoticeView> get(UUID id) {
    return requireNotice(id)
        .flatMap(
            notice ->
                recipients
                    .listByNotice(id)
                    .flatMap(
                        snapshot ->
                            deliveries
                                .listByNotice(id)
                                .map(list -> mapper.toView(notice, snapshot, noticeStage(list)))));
  }

  /** Every delivery of a notice (notice and reminder stage) with its attempt evidence. */
  @WithSession
  public Uni<List<DeliveryView>> deliveries(UUID noticeId) {
    return requireNotice(noticeId)
        .flatMap(notice -> deliveries.listByNotice(noticeId))
        .flatMap(this::withAttempts);
  }

  /** Every delivery to a workspace, of every notice, oldest first, with its attempt evidence. */
  @WithSession
  public Uni<List<DeliveryView>> deliveriesOfWorkspace(UUID workspaceId) {
    return deliveries.listByWorkspace(workspaceId).flatMap(this::withAttempts);
  }

  /** The status of a notice counts its NOTICE-stage deliveries; reminders come on top. */
  private static List<Delivery> noticeStage(List<Delivery> list) {
    return list.stream().filter(d -> d.stage == DeliveryStage.NOTICE).toList();
  }

  private Uni<List<DeliveryView>> withAttempts(List<Delivery> list) {
    if (list.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    UUID[] ids = list.stream().map(d -> d.id).toArray(UUID[]::new);
    return pool.preparedQuery(
            "select delivery_id, attempt, started_at, finished_at, outcome, provider,"
                + " provider_message_id, accepted_at, content_sha256, error"
                + " from notice.delivery_attempts where delivery_id = any($1)"
                + " order by delivery_id, attempt")
        .execute(Tuple.of(ids))
        .map(
            rows -> {
              Map<UUID, List<AttemptView>> byDelivery = new java.util.HashMap<>();
              for (Row row : rows) {
                byDelivery
                    .computeIfAbsent(row.getUUID("delivery_id"), k -> new ArrayList<>())
                    .add(
                        new AttemptView(
                            row.getInteger("attempt"),
                            instant(row.getOffsetDateTime("started_at")),
                            instant(row.getOffsetDateTime("finished_at")),
                            row.getString("outcome"),
                            row.getString("provider"),
                            row.getString("provider_message_id"),
                            instant(row.getOffsetDateTime("accepted_at")),
                            row.getString("content_sha256"),
                            row.getString("error")));
              }
              return list.stream()
                  .map(d -> mapper.toView(d, byDelivery.getOrDefault(d.id, List.of())))
                  .toList();
            });
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }

  /** The notices whose audience included the workspace, newest first. */
  @WithSession
  public Uni<List<WorkspaceNoticeView>> forWorkspace(UUID workspaceId) {
    return notices
        .listForWorkspace(workspaceId)
        .flatMap(
            list ->
                deliveries
                    .listByWorkspace(workspaceId)
                    .map(
                        ofWorkspace -> {
                          Map<UUID, List<Delivery>> byNotice =
                              noticeStage(ofWorkspace).stream()
                                  .collect(Collectors.groupingBy(d -> d.noticeId));
                          return list.stream()
                              .map(
                                  n ->
                                      mapper.toWorkspaceView(
                                          n, byNotice.getOrDefault(n.id, List.of())))
                              .toList();
                        }));
  }

  private Uni<Notice> requireNotice(UUID id) {
    return notices
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("notice " + id));
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
