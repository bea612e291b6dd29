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
import dev.tributary.notice.domain.Channel;
import dev.tributary.notice.domain.Delivery;
import dev.tributary.notice.domain.DeliveryStatus;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
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

  public NoticeService(
      NoticeRepository notices,
      NoticeRecipientRepository recipients,
      DeliveryRepository deliveries,
      WorkspaceDirectory directory,
      NoticeRules rules,
      NoticeMapper mapper,
      Clock clock) {
    this.notices = notices;
    this.recipients = recipients;
    this.deliveries = deliveries;
    this.directory = directory;
    this.rules = rules;
    this.mapper = mapper;
    this.clock = clock;
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
              return Panache.withTransaction(
                      () ->
                          notices
                              .persist(notice)
                              .chain(() -> persistAll(recipients, snapshot))
                              .chain(() -> persistAll(deliveries, outbox)))
                  .invoke(
                      () ->
                          Log.infof(
                              "created %s notice %s for %d workspaces with %d deliveries",
                              notice.kind, notice.id, snapshot.size(), outbox.size()))
                  .map(
                      ignored ->
                          new CreateResult(
                              mapper.toCreated(notice, snapshot.size(), outbox.size()), false));
            });
  }

  private Uni<List<WorkspaceRecord>> workspaces() {
    return directory
        .all()
        .onFailure()
        .transform(
            e -> {
              Log.warnf("cannot read the workspaces from ingestion-api: %s", e.toString());
              return new ApiException(
                  503,
                  "ingestion_api_unavailable",
                  "the workspaces cannot be read from ingestion-api; retry later");
            });
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
                              .count("noticeId", existing.id)
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
                                .map(list -> mapper.toView(notice, snapshot, list))));
  }

  @WithSession
  public Uni<List<DeliveryView>> deliveries(UUID noticeId) {
    return requireNotice(noticeId)
        .flatMap(notice -> deliveries.listByNotice(noticeId))
        .map(list -> list.stream().map(mapper::toView).toList());
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
                              ofWorkspace.stream().collect(Collectors.groupingBy(d -> d.noticeId));
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
