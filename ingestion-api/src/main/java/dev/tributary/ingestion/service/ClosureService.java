package dev.tributary.ingestion.service;

import dev.tributary.ingestion.client.Notices;
import dev.tributary.ingestion.dto.SuspensionDtos.WorkspaceStanding;
import dev.tributary.ingestion.repository.ClosureRepository;
import dev.tributary.ingestion.repository.SuspensionRepository;
import dev.tributary.support.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Closing a workspace: its write keys are revoked at once (this replica from the answer on, the
 * others within {@code tributary.lifecycle.state-poll}), the CLOSURE notice confirms it to the
 * contacts, and {@link ClosureJob} erases the events and contacts within the Privacy Notice's 60
 * days. SLA reports, notices and their evidence live in the other services and are kept.
 */
@ApplicationScoped
public class ClosureService {

  /** The standing after the call and whether this call closed the workspace. */
  public record Closed(WorkspaceStanding standing, boolean closedNow) {}

  private final ClosureRepository closures;
  private final SuspensionRepository suspensions;
  private final SuspensionService standing;
  private final Notices notices;
  private final SourceAuthenticator authenticator;
  private final Clock clock;

  public ClosureService(
      ClosureRepository closures,
      SuspensionRepository suspensions,
      SuspensionService standing,
      Notices notices,
      SourceAuthenticator authenticator,
      Clock clock) {
    this.closures = closures;
    this.suspensions = suspensions;
    this.standing = standing;
    this.notices = notices;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /** Closes the workspace; idempotent (closing again answers the first closure). 404 unknown. */
  public Uni<Closed> close(UUID workspaceId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return suspensions
        .workspace(workspaceId)
        .map(
            ws ->
                ws.filter(w -> "CUSTOMER".equals(w.kind()))
                    .orElseThrow(() -> ApiException.notFound("workspace " + workspaceId)))
        .flatMap(ws -> closures.close(workspaceId, now))
        .call(
            closedNow -> {
              if (!closedNow) {
                return Uni.createFrom().voidItem();
              }
              // After the commit: a lookup between clearing and committing would cache the keys.
              authenticator.invalidateAll();
              Log.infof("closed workspace %s; its write keys are revoked", workspaceId);
              return sendNotice(workspaceId);
            })
        .flatMap(closedNow -> standing.standing(workspaceId).map(s -> new Closed(s, closedNow)));
  }

  /** The CLOSURE notice (Idempotency-Key from the workspace id); a failure is left to the job. */
  Uni<Void> sendNotice(UUID workspaceId) {
    return notices
        .closure(workspaceId, null)
        .flatMap(noticeId -> closures.setClosureNoticeId(workspaceId, noticeId))
        .onFailure()
        .recoverWithUni(
            e -> {
              Log.warnf(
                  "notice-service did not take the closure notice of workspace %s (retried by"
                      + " the job): %s",
                  workspaceId, e.toString());
              return Uni.createFrom().voidItem();
            });
  }
}
