package dev.tributary.notice.mapping;

import dev.tributary.notice.domain.Delivery;
import dev.tributary.notice.domain.DeliveryStatus;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeRecipient;
import dev.tributary.notice.dto.NoticeDtos.AttemptView;
import dev.tributary.notice.dto.NoticeDtos.CreatedNotice;
import dev.tributary.notice.dto.NoticeDtos.DeliveryView;
import dev.tributary.notice.dto.NoticeDtos.LeadTime;
import dev.tributary.notice.dto.NoticeDtos.NoticeView;
import dev.tributary.notice.dto.NoticeDtos.RecipientView;
import dev.tributary.notice.dto.NoticeDtos.StatusCounts;
import dev.tributary.notice.dto.NoticeDtos.WorkspaceNoticeView;
import dev.tributary.notice.service.NoticeRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/** Entities to DTOs; entities never leave the service layer. */
@ApplicationScoped
public class NoticeMapper {

  private final NoticeRules rules;

  public NoticeMapper(NoticeRules rules) {
    this.rules = rules;
  }

  public CreatedNotice toCreated(Notice notice, int recipients, int deliveries) {
    return new CreatedNotice(
        notice.id, notice.kind.name(), notice.createdAt, recipients, deliveries, leadTime(notice));
  }

  public NoticeView toView(
      Notice notice, List<NoticeRecipient> recipients, List<Delivery> deliveries) {
    Map<UUID, List<Delivery>> byWorkspace =
        deliveries.stream().collect(Collectors.groupingBy(d -> d.workspaceId));
    StatusCounts counts = counts(deliveries);
    return new NoticeView(
        notice.id,
        notice.kind.name(),
        notice.createdAt,
        notice.audience,
        notice.channelList().stream().map(Enum::name).toList(),
        notice.document,
        notice.version,
        notice.url,
        notice.summary,
        notice.effectiveAt,
        notice.material,
        notice.legalChange,
        notice.windowStart,
        notice.windowEnd,
        notice.description,
        notice.relatedNoticeId,
        notice.month,
        notice.extra,
        notice.subject,
        notice.body,
        leadTime(notice),
        status(counts),
        counts,
        recipients.stream()
            .map(
                r -> {
                  List<Delivery> ofWorkspace = byWorkspace.getOrDefault(r.workspaceId, List.of());
                  Instant first = firstDeliveredAt(ofWorkspace);
                  return new RecipientView(
                      r.workspaceId,
                      r.workspaceName,
                      r.timeZone,
                      counts(ofWorkspace),
                      first,
                      leadTimeMet(notice, first));
                })
            .toList());
  }

  public WorkspaceNoticeView toWorkspaceView(Notice notice, List<Delivery> ofWorkspace) {
    Instant first = firstDeliveredAt(ofWorkspace);
    return new WorkspaceNoticeView(
        notice.id,
        notice.kind.name(),
        notice.createdAt,
        counts(ofWorkspace),
        first,
        leadTimeMet(notice, first));
  }

  public DeliveryView toView(Delivery delivery) {
    return toView(delivery, null);
  }

  public DeliveryView toView(Delivery delivery, List<AttemptView> attempts) {
    return new DeliveryView(
        delivery.id,
        delivery.noticeId,
        delivery.workspaceId,
        delivery.contactName,
        delivery.channel.name(),
        delivery.address,
        delivery.status.name(),
        delivery.attempts,
        delivery.nextAttemptAt,
        delivery.lastError,
        delivery.providerMessageId,
        delivery.acceptedAt,
        delivery.contentSha256,
        delivery.createdAt,
        delivery.stage.name(),
        attempts);
  }

  private static LeadTime leadTime(Notice notice) {
    return notice.leadTimeRequiredBusinessDays == null
        ? null
        : new LeadTime(
            notice.leadTimeRequiredBusinessDays, Boolean.TRUE.equals(notice.leadTimeMet));
  }

  /**
   * SLA §3 for one workspace: counted from the first message the provider accepted once there is
   * one; until then the verdict at creation.
   */
  private Boolean leadTimeMet(Notice notice, Instant firstDeliveredAt) {
    if (notice.leadTimeRequiredBusinessDays == null) {
      return null;
    }
    return firstDeliveredAt == null
        ? notice.leadTimeMet
        : rules.maintenanceLeadTimeMet(firstDeliveredAt, notice.windowStart);
  }

  private static Instant firstDeliveredAt(Collection<Delivery> deliveries) {
    return deliveries.stream()
        .filter(d -> d.status == DeliveryStatus.SENT)
        .map(d -> d.acceptedAt)
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .orElse(null);
  }

  private static StatusCounts counts(Collection<Delivery> deliveries) {
    int[] counts = new int[DeliveryStatus.values().length];
    deliveries.forEach(d -> counts[d.status.ordinal()]++);
    return new StatusCounts(
        counts[DeliveryStatus.PENDING.ordinal()],
        counts[DeliveryStatus.SENDING.ordinal()],
        counts[DeliveryStatus.SENT.ordinal()],
        counts[DeliveryStatus.FAILED.ordinal()]);
  }

  /**
   * PENDING while any delivery is waiting or being sent, then SENT, FAILED or PARTIALLY_FAILED;
   * NO_DELIVERIES when no contact of the audience had an address for the notice's channels.
   */
  private static String status(StatusCounts c) {
    if (c.pending() + c.sending() > 0) {
      return "PENDING";
    }
    if (c.sent() + c.failed() == 0) {
      return "NO_DELIVERIES";
    }
    if (c.failed() == 0) {
      return "SENT";
    }
    return c.sent() == 0 ? "FAILED" : "PARTIALLY_FAILED";
  }
}
