package dev.tributary.ingestion.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The admin API's suspension bodies. */
public final class SuspensionDtos {

  private SuspensionDtos() {}

  /** Body of {@code POST /admin/v1/workspaces/{id}/suspension}; the reason is in the notice. */
  public record SuspendRequest(@NotBlank @Size(max = 2000) String reason) {}

  /**
   * One suspension. {@code status}: PENDING_NOTICE (the written notice is not delivered yet, the
   * keys still work), ACTIVE (the keys are refused since {@code effectiveAt}), LIFTED (at {@code
   * liftedAt}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SuspensionView(
      UUID id,
      String status,
      String reason,
      Instant requestedAt,
      UUID noticeId,
      Instant effectiveAt,
      Instant liftedAt,
      UUID liftNoticeId) {}

  /**
   * A workspace's standing. {@code state}: ACTIVE, SUSPENSION_PENDING, SUSPENDED or CLOSED; {@code
   * current} the open suspension (absent when none), {@code history} every suspension, newest
   * first; a closed workspace's {@code closureNoticeId} is its CLOSURE notice, {@code dataErasedAt}
   * when its events and contacts were erased.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WorkspaceStanding(
      UUID workspaceId,
      String state,
      Instant closedAt,
      Instant dataErasedAt,
      UUID closureNoticeId,
      SuspensionView current,
      List<SuspensionView> history) {}

  /** A period the workspace was suspended, for the SLA: [start, end), end absent while it lasts. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SuspendedPeriodView(UUID suspensionId, Instant start, Instant end, String reason) {}
}
