package dev.tributary.ingestion.service;

import dev.tributary.ingestion.client.Notices;
import dev.tributary.ingestion.dto.SuspensionDtos.SuspensionView;
import dev.tributary.ingestion.dto.SuspensionDtos.WorkspaceStanding;
import dev.tributary.ingestion.repository.SuspensionRepository;
import dev.tributary.ingestion.repository.SuspensionRepository.StoredSuspension;
import dev.tributary.ingestion.repository.SuspensionRepository.WorkspaceState;
import dev.tributary.support.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Asking for and lifting a workspace's suspension (Terms of Service §2.3: the provider may suspend
 * the services "upon written notice"). A request records a PENDING_NOTICE suspension and has
 * notice-service send the SUSPENSION notice; {@link SuspensionJob} makes it ACTIVE once the notice
 * is delivered. Lifting is immediate and notified too.
 */
@ApplicationScoped
public class SuspensionService {

  /** An answer and whether this call created it (false: the open suspension asked for before). */
  public record Requested(SuspensionView suspension, boolean created) {}

  private final SuspensionRepository suspensions;
  private final Notices notices;
  private final SourceAuthenticator authenticator;
  private final Clock clock;

  public SuspensionService(
      SuspensionRepository suspensions,
      Notices notices,
      SourceAuthenticator authenticator,
      Clock clock) {
    this.suspensions = suspensions;
    this.notices = notices;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /**
   * Records a suspension and asks notice-service for its notice. Idempotent per workspace: while a
   * suspension is open, asking again answers it (and sends nothing). Errors: 404 {@code not_found},
   * 409 {@code workspace_closed}, 422 {@code no_email_contact} (written notice could never be
   * given).
   */
  public Uni<Requested> suspend(UUID workspaceId, String reason) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String stripped = reason.strip();
    UUID id = UUID.randomUUID();
    return requireCustomer(workspaceId)
        .invoke(
            ws -> {
              if (ws.closedAt() != null) {
                throw new ApiException(
                    409, "workspace_closed", "workspace " + workspaceId + " is closed");
              }
              if (ws.emailContacts() == 0) {
                throw new ApiException(
                    422,
                    "no_email_contact",
                    "a suspension needs written notice first, and workspace "
                        + workspaceId
                        + " has no contact with an email address");
              }
            })
        .flatMap(ws -> suspensions.insertPending(id, workspaceId, stripped, now))
        .flatMap(
            created ->
                created
                    ? sendNotice(id, workspaceId, stripped)
                        .flatMap(ignored -> newest(workspaceId))
                        .map(view -> new Requested(view, true))
                    : newest(workspaceId).map(view -> new Requested(view, false)));
  }

  /**
   * Lifts the open suspension at once (whether it had taken effect or not) and, when its notice was
   * sent, notifies the lifting. 409 {@code not_suspended} when there is none.
   */
  public Uni<SuspensionView> lift(UUID workspaceId) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return requireCustomer(workspaceId)
        .flatMap(ws -> suspensions.lift(workspaceId, null, now))
        .map(
            lifted ->
                lifted.orElseThrow(
                    () ->
                        new ApiException(
                            409,
                            "not_suspended",
                            "workspace " + workspaceId + " has no suspension to lift")))
        // After the commit: a lookup between clearing and committing would cache the old row.
        .invoke(authenticator::invalidateAll)
        .invoke(s -> Log.infof("lifted suspension %s of workspace %s", s.id(), workspaceId))
        .flatMap(
            s ->
                s.noticeId() == null
                    ? Uni.createFrom().item(s)
                    : sendLiftNotice(s)
                        .flatMap(ignored -> suspensions.history(workspaceId))
                        .map(all -> find(all, s.id())))
        .map(SuspensionService::view);
  }

  /** The workspace's state and every suspension it had. */
  public Uni<WorkspaceStanding> standing(UUID workspaceId) {
    return requireCustomer(workspaceId)
        .flatMap(
            ws ->
                suspensions
                    .history(workspaceId)
                    .map(
                        all -> {
                          StoredSuspension open =
                              all.stream()
                                  .filter(s -> !"LIFTED".equals(s.status()))
                                  .findFirst()
                                  .orElse(null);
                          String state =
                              ws.closedAt() != null
                                  ? "CLOSED"
                                  : ws.suspendedAt() != null
                                      ? "SUSPENDED"
                                      : open != null ? "SUSPENSION_PENDING" : "ACTIVE";
                          return new WorkspaceStanding(
                              workspaceId,
                              state,
                              ws.closedAt(),
                              ws.dataErasedAt(),
                              ws.closureNoticeId(),
                              open == null ? null : view(open),
                              all.stream().map(SuspensionService::view).toList());
                        }));
  }

  /**
   * Creates the SUSPENSION notice (same Idempotency-Key on every retry) and records its id. A
   * failure is logged and left to {@link SuspensionJob}, which retries: the request is recorded.
   */
  Uni<Void> sendNotice(UUID suspensionId, UUID workspaceId, String reason) {
    return notices
        .suspension(suspensionId, workspaceId, reason)
        .flatMap(noticeId -> suspensions.setNoticeId(suspensionId, noticeId))
        .onFailure()
        .recoverWithUni(
            e -> {
              Log.warnf(
                  "notice-service did not take the notice of suspension %s (retried by the job):"
                      + " %s",
                  suspensionId, e.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /** Creates the SUSPENSION_LIFTED notice; a failure is left to {@link SuspensionJob}. */
  Uni<Void> sendLiftNotice(StoredSuspension lifted) {
    return notices
        .suspensionLifted(lifted.id(), lifted.workspaceId(), lifted.reason())
        .flatMap(noticeId -> suspensions.setLiftNoticeId(lifted.id(), noticeId))
        .onFailure()
        .recoverWithUni(
            e -> {
              Log.warnf(
                  "notice-service did not take the lifting notice of suspension %s (retried by"
                      + " the job): %s",
                  lifted.id(), e.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /**
   * The workspace's newest suspension: the open one (a new one can only be recorded once the
   * previous one is lifted), or the one lifted between the insert and this read.
   */
  private Uni<SuspensionView> newest(UUID workspaceId) {
    return suspensions.history(workspaceId).map(all -> view(all.get(0)));
  }

  private Uni<WorkspaceState> requireCustomer(UUID workspaceId) {
    return suspensions
        .workspace(workspaceId)
        .map(
            ws ->
                ws.filter(w -> "CUSTOMER".equals(w.kind()))
                    .orElseThrow(() -> ApiException.notFound("workspace " + workspaceId)));
  }

  private static StoredSuspension find(List<StoredSuspension> all, UUID id) {
    return all.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  static SuspensionView view(StoredSuspension s) {
    return new SuspensionView(
        s.id(),
        s.status(),
        s.reason(),
        s.requestedAt(),
        s.noticeId(),
        s.effectiveAt(),
        s.liftedAt(),
        s.liftNoticeId());
  }
}
