package dev.tributary.notice.service;

import dev.tributary.notice.domain.Delivery;
import dev.tributary.notice.domain.DeliveryStage;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.dto.NoticeDtos.AttemptView;
import dev.tributary.notice.dto.NoticeDtos.DeliveryView;
import dev.tributary.notice.dto.NoticeDtos.NoticeView;
import dev.tributary.notice.dto.NoticeDtos.WorkspaceNoticeView;
import dev.tributary.notice.mapping.NoticeMapper;
import dev.tributary.notice.repository.DeliveryRepository;
import dev.tributary.notice.repository.NoticeRecipientRepository;
import dev.tributary.notice.repository.NoticeRepository;
import dev.tributary.support.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads notices back with their audience, deliveries and attempt evidence. */
@ApplicationScoped
public class NoticeQueries {

  private final NoticeRepository notices;
  private final NoticeRecipientRepository recipients;
  private final DeliveryRepository deliveries;
  private final NoticeMapper mapper;
  private final Pool pool;

  public NoticeQueries(
      NoticeRepository notices,
      NoticeRecipientRepository recipients,
      DeliveryRepository deliveries,
      NoticeMapper mapper,
      Pool pool) {
    this.notices = notices;
    this.recipients = recipients;
    this.deliveries = deliveries;
    this.mapper = mapper;
    this.pool = pool;
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
              Map<UUID, List<AttemptView>> byDelivery = new HashMap<>();
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

  private Uni<Notice> requireNotice(UUID id) {
    return notices
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("notice " + id));
  }
}
