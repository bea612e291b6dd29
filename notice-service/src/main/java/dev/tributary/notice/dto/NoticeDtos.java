package dev.tributary.notice.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The notice API's request and response bodies. */
public final class NoticeDtos {

  private NoticeDtos() {}

  /**
   * Who a notice is for: {@code ALL} workspaces, the {@code WORKSPACES} listed in {@code
   * workspaceIds}, or the workspaces {@code CREATED_BEFORE} {@code createdBefore} (a terms update
   * can apply only to the accounts that agreed to the previous version).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AudienceDto(
      String type, @Size(max = 10_000) List<UUID> workspaceIds, Instant createdBefore) {}

  /**
   * A new notice. {@code kind} decides which of the other fields are required: TERMS_UPDATE
   * (document, version, url, summary, effectiveAt, material, legalChange), API_CHANGE (summary,
   * effectiveAt, url optional), MAINTENANCE (windowStart, windowEnd, description),
   * MAINTENANCE_RESCHEDULED and MAINTENANCE_CANCELLED (the same and relatedNoticeId), SLA_MISS and
   * TERMINATION_RIGHT (month as YYYY-MM, details as free JSON), GENERAL (subject, body), SUSPENSION
   * (description: the reason), SUSPENSION_LIFTED and CLOSURE (description optional). {@code
   * channels} defaults to every channel the kind allows; channels a kind does not allow are left
   * out.
   */
  public record CreateNotice(
      String kind,
      @Valid AudienceDto audience,
      @Size(max = 2) List<String> channels,
      @Size(max = 200) String document,
      @Size(max = 100) String version,
      @Size(max = 2000) String url,
      @Size(max = 20_000) String summary,
      Instant effectiveAt,
      Boolean material,
      Boolean legalChange,
      Instant windowStart,
      Instant windowEnd,
      @Size(max = 20_000) String description,
      UUID relatedNoticeId,
      String month,
      Map<String, Object> details,
      @Size(max = 500) String subject,
      @Size(max = 20_000) String body) {}

  /** SLA §3 lead time of a maintenance notice. */
  public record LeadTime(int requiredBusinessDays, boolean met) {}

  /** Answer to notice creation (201, or 200 when an Idempotency-Key repeats a creation). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CreatedNotice(
      UUID id, String kind, Instant createdAt, int recipients, int deliveries, LeadTime leadTime) {}

  /** Deliveries of a notice, or of one workspace of it, counted by status. */
  public record StatusCounts(int pending, int sending, int sent, int failed) {}

  /** One workspace of a notice's audience. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RecipientView(
      UUID workspaceId,
      String workspaceName,
      String timeZone,
      StatusCounts deliveries,
      @JsonInclude(JsonInclude.Include.ALWAYS) Instant firstDeliveredAt,
      Boolean leadTimeMet) {}

  /** A notice with its delivery status. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NoticeView(
      UUID id,
      String kind,
      Instant createdAt,
      Map<String, Object> audience,
      List<String> channels,
      String document,
      String version,
      String url,
      String summary,
      Instant effectiveAt,
      Boolean material,
      Boolean legalChange,
      Instant windowStart,
      Instant windowEnd,
      String description,
      UUID relatedNoticeId,
      String month,
      Map<String, Object> details,
      String subject,
      String body,
      LeadTime leadTime,
      String status,
      StatusCounts deliveries,
      List<RecipientView> recipients) {}

  /** A delivery and, once sent, its evidence. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeliveryView(
      UUID id,
      UUID noticeId,
      UUID workspaceId,
      String contactName,
      String channel,
      String address,
      String status,
      int attempts,
      Instant nextAttemptAt,
      String lastError,
      String providerMessageId,
      Instant acceptedAt,
      String contentSha256,
      Instant createdAt,
      String stage,
      List<AttemptView> attemptHistory) {}

  /** One row of a delivery's append-only attempt evidence ({@code delivery_attempts}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AttemptView(
      int attempt,
      Instant startedAt,
      Instant finishedAt,
      String outcome,
      String provider,
      String providerMessageId,
      Instant acceptedAt,
      String contentSha256,
      String error) {}

  /**
   * The version of a legal document that binds a workspace at an instant, and the notice it comes
   * from.
   */
  public record TermsInForce(
      String document,
      String version,
      String url,
      Instant effectiveAt,
      Instant bindingSince,
      UUID noticeId) {}

  /** A notice in a workspace's list. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WorkspaceNoticeView(
      UUID id,
      String kind,
      Instant createdAt,
      StatusCounts deliveries,
      @JsonInclude(JsonInclude.Include.ALWAYS) Instant firstDeliveredAt,
      Boolean leadTimeMet) {}
}
