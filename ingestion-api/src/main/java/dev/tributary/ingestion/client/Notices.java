package dev.tributary.ingestion.client;

import dev.tributary.ingestion.client.NoticeServiceClient.Audience;
import dev.tributary.ingestion.client.NoticeServiceClient.CreateNotice;
import dev.tributary.support.PlatformConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The written notices of a workspace's suspension, its lifting and its closure, sent by
 * notice-service to the workspace's contacts. Every creation carries an Idempotency-Key derived
 * from the suspension or workspace id, so a retry (here, or by the job on any replica) never sends
 * a notice twice.
 */
@Timeout(value = 10, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 2, delay = 200, jitter = 100)
@ApplicationScoped
public class Notices {

  /** A notice and how far its deliveries got. */
  public record NoticeStatus(UUID id, int pending, int sending, int sent, int failed) {

    /** Written notice was given: at least one delivery accepted by the mail provider. */
    public boolean delivered() {
      return sent > 0;
    }
  }

  private final NoticeServiceClient client;
  private final PlatformConfig tokens;

  Notices(@RestClient NoticeServiceClient client, PlatformConfig tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /** The SUSPENSION notice of suspension {@code suspensionId}; answers the notice's id. */
  public Uni<UUID> suspension(UUID suspensionId, UUID workspaceId, String reason) {
    return create("suspension-" + suspensionId, "SUSPENSION", workspaceId, reason);
  }

  /** The SUSPENSION_LIFTED notice of suspension {@code suspensionId}. */
  public Uni<UUID> suspensionLifted(UUID suspensionId, UUID workspaceId, String reason) {
    return create("suspension-lifted-" + suspensionId, "SUSPENSION_LIFTED", workspaceId, reason);
  }

  /** The CLOSURE notice of workspace {@code workspaceId}, the last one its contacts receive. */
  public Uni<UUID> closure(UUID workspaceId, String reason) {
    return create("closure-" + workspaceId, "CLOSURE", workspaceId, reason);
  }

  public Uni<NoticeStatus> status(UUID noticeId) {
    return client
        .get(bearer(), noticeId)
        .map(
            view ->
                view.deliveries() == null
                    ? new NoticeStatus(view.id(), 0, 0, 0, 0)
                    : new NoticeStatus(
                        view.id(),
                        view.deliveries().pending(),
                        view.deliveries().sending(),
                        view.deliveries().sent(),
                        view.deliveries().failed()));
  }

  private Uni<UUID> create(String key, String kind, UUID workspaceId, String description) {
    return client
        .create(
            bearer(),
            key,
            new CreateNotice(kind, new Audience("WORKSPACES", List.of(workspaceId)), description))
        .map(NoticeServiceClient.CreatedNotice::id);
  }

  private String bearer() {
    return "Bearer " + tokens.service().token().orElse("");
  }
}
