package dev.tributary.notice.service;

import dev.tributary.notice.client.WorkspaceDirectory;
import dev.tributary.notice.client.WorkspaceRecord;
import dev.tributary.notice.domain.Notice;
import dev.tributary.notice.domain.NoticeKind;
import dev.tributary.notice.domain.NoticeRecipient;
import dev.tributary.notice.dto.NoticeDtos.TermsInForce;
import dev.tributary.notice.repository.NoticeRecipientRepository;
import dev.tributary.notice.repository.NoticeRepository;
import dev.tributary.support.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The terms registry: which version of a legal document binds a workspace at an instant, derived
 * from the TERMS_UPDATE notices and their audience snapshots.
 *
 * <p>The rule ("the new version binds from {@code effectiveAt} for notified accounts and at once
 * for accounts created after the notice"), for a workspace W, a document D and an instant T:
 *
 * <ol>
 *   <li>Candidates are the TERMS_UPDATE notices whose document equals D ignoring case and
 *       surrounding blanks, created at or before T.
 *   <li>A candidate N binds W from {@code N.effectiveAt} when W is in N's recipient snapshot (W was
 *       notified), whatever its creation date.
 *   <li>Otherwise N binds W from {@code max(N.createdAt, W.createdAt)} when W was created after N
 *       was created: the account signed up under the new version. W's creation time comes from a
 *       recipient snapshot of W when there is one, else from ingestion-api.
 *   <li>Otherwise (W existed when N was created but was not in its audience, e.g. a workspace
 *       created after a CREATED_BEFORE cut-off but before the notice) N never binds W: W was not
 *       notified and did not sign up under it.
 *   <li>A candidate binds at T when its binding time is at or before T. The answer is the binding
 *       candidate created last (ties: the later binding time, then the later effectiveAt, then the
 *       notice id); 404 {@code no_version_in_force} when none binds.
 * </ol>
 */
@ApplicationScoped
public class TermsRegistry {

  private final NoticeRepository notices;
  private final NoticeRecipientRepository recipients;
  private final WorkspaceDirectory directory;

  public TermsRegistry(
      NoticeRepository notices,
      NoticeRecipientRepository recipients,
      WorkspaceDirectory directory) {
    this.notices = notices;
    this.recipients = recipients;
    this.directory = directory;
  }

  private record Candidate(Notice notice, Instant bindingSince) {}

  public Uni<TermsInForce> inForce(String document, UUID workspaceId, Instant at) {
    String wanted = document.strip();
    return Panache.withSession(
            () ->
                notices
                    .list(
                        "kind = ?1 and lower(trim(document)) = lower(?2) and createdAt <= ?3",
                        NoticeKind.TERMS_UPDATE,
                        wanted,
                        at)
                    .flatMap(
                        candidates ->
                            recipients
                                .list("workspaceId", workspaceId)
                                .map(snapshots -> Map.entry(candidates, snapshots))))
        .flatMap(
            found -> {
              List<Notice> candidates = found.getKey();
              List<NoticeRecipient> snapshots = found.getValue();
              if (candidates.isEmpty()) {
                return Uni.createFrom().failure(noVersion(wanted, workspaceId, at));
              }
              Map<UUID, NoticeRecipient> notified = new HashMap<>();
              snapshots.forEach(r -> notified.put(r.noticeId, r));
              boolean allNotified = candidates.stream().allMatch(n -> notified.containsKey(n.id));
              Uni<Optional<Instant>> createdAt =
                  allNotified || !snapshots.isEmpty()
                      ? Uni.createFrom()
                          .item(
                              snapshots.stream()
                                  .map(r -> r.workspaceCreatedAt)
                                  .filter(java.util.Objects::nonNull)
                                  .findFirst())
                      : workspaceCreatedAt(workspaceId);
              return createdAt.map(
                  workspaceCreatedAt ->
                      candidates.stream()
                          .map(n -> candidate(n, notified, workspaceCreatedAt))
                          .flatMap(Optional::stream)
                          .filter(c -> !c.bindingSince().isAfter(at))
                          .max(
                              Comparator.comparing((Candidate c) -> c.notice().createdAt)
                                  .thenComparing(Candidate::bindingSince)
                                  .thenComparing(c -> c.notice().effectiveAt)
                                  .thenComparing(c -> c.notice().id))
                          .map(
                              c ->
                                  new TermsInForce(
                                      c.notice().document,
                                      c.notice().version,
                                      c.notice().url,
                                      c.notice().effectiveAt,
                                      c.bindingSince(),
                                      c.notice().id))
                          .orElseThrow(() -> noVersion(wanted, workspaceId, at)));
            });
  }

  private static Optional<Candidate> candidate(
      Notice notice, Map<UUID, NoticeRecipient> notified, Optional<Instant> workspaceCreatedAt) {
    if (notified.containsKey(notice.id)) {
      return Optional.of(new Candidate(notice, notice.effectiveAt));
    }
    return workspaceCreatedAt
        .filter(created -> created.isAfter(notice.createdAt))
        .map(created -> new Candidate(notice, created));
  }

  /** The workspace's creation time from ingestion-api; empty when it does not know it. */
  private Uni<Optional<Instant>> workspaceCreatedAt(UUID workspaceId) {
    return directory
        .find(workspaceId)
        .onFailure()
        .transform(WorkspaceDirectory::unavailable)
        .map(found -> found.map(WorkspaceRecord::createdAt));
  }

  private static ApiException noVersion(String document, UUID workspaceId, Instant at) {
    return new ApiException(
        404,
        "no_version_in_force",
        "no version of the " + document + " binds workspace " + workspaceId + " at " + at);
  }
}
