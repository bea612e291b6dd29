package dev.tributary.sla.client;

import dev.tributary.sla.client.NoticeServiceClient.Audience;
import dev.tributary.sla.client.NoticeServiceClient.CreateNotice;
import dev.tributary.sla.client.NoticeServiceClient.CreatedNotice;
import dev.tributary.sla.client.NoticeServiceClient.NoticeView;
import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The notices the evaluator has notice-service send: maintenance (and its cancellation or
 * rescheduling) to every customer, SLA misses and the Special Termination Right to one workspace.
 * Every creation carries an Idempotency-Key, so a retry (each call is retried twice, with a
 * timeout) never sends a notice twice.
 */
@Timeout(value = 10, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 2, delay = 200, jitter = 100)
@ApplicationScoped
public class NoticeService {

  private static final Audience EVERYONE = new Audience("ALL", null);

  private final NoticeServiceClient client;
  private final PlatformConfig tokens;

  NoticeService(@RestClient NoticeServiceClient client, PlatformConfig tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  public Uni<CreatedNotice> maintenance(
      UUID windowId, Instant start, Instant end, String description) {
    return create(
        "maintenance-" + windowId,
        new CreateNotice("MAINTENANCE", EVERYONE, start, end, description, null, null, null));
  }

  public Uni<CreatedNotice> maintenanceCancelled(
      UUID windowId, UUID relatedNoticeId, Instant start, Instant end, String description) {
    return create(
        "maintenance-cancelled-" + windowId,
        new CreateNotice(
            "MAINTENANCE_CANCELLED",
            EVERYONE,
            start,
            end,
            description,
            relatedNoticeId,
            null,
            null));
  }

  public Uni<CreatedNotice> maintenanceRescheduled(
      UUID newWindowId, UUID relatedNoticeId, Instant start, Instant end, String description) {
    return create(
        "maintenance-rescheduled-" + newWindowId,
        new CreateNotice(
            "MAINTENANCE_RESCHEDULED",
            EVERYONE,
            start,
            end,
            description,
            relatedNoticeId,
            null,
            null));
  }

  public Uni<CreatedNotice> slaMiss(
      UUID workspaceId, YearMonth month, Map<String, Object> details) {
    return create(
        "sla-miss-" + workspaceId + "-" + month,
        new CreateNotice(
            "SLA_MISS",
            new Audience("WORKSPACES", List.of(workspaceId)),
            null,
            null,
            null,
            null,
            month.toString(),
            details));
  }

  public Uni<CreatedNotice> terminationRight(
      UUID workspaceId, YearMonth completedBy, Map<String, Object> details) {
    return create(
        "termination-right-" + workspaceId + "-" + completedBy,
        new CreateNotice(
            "TERMINATION_RIGHT",
            new Audience("WORKSPACES", List.of(workspaceId)),
            null,
            null,
            null,
            null,
            completedBy.toString(),
            details));
  }

  /** A notice with, per workspace, when it was first delivered. */
  public Uni<NoticeView> get(UUID noticeId) {
    return client.get(bearer(), noticeId);
  }

  private Uni<CreatedNotice> create(String idempotencyKey, CreateNotice notice) {
    return client.create(bearer(), idempotencyKey, notice);
  }

  private String bearer() {
    return "Bearer " + tokens.service().token().orElse("");
  }

  /** What an API answers once notice-service could not be reached: 503 with a stable code. */
  public static ApiException unavailable(Throwable failure) {
    Log.warnf("cannot reach notice-service: %s", failure.toString());
    return new ApiException(
        503,
        "notice_service_unavailable",
        "notice-service cannot send the notice now; nothing was recorded, retry later");
  }
}
