package dev.tributary.sla.service;

import dev.tributary.sla.client.NoticeService;
import dev.tributary.sla.client.NoticeServiceClient.NoticeView;
import dev.tributary.sla.client.NoticeServiceClient.Recipient;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.repository.MaintenanceRepository;
import dev.tributary.sla.repository.MaintenanceRepository.NoticeTime;
import dev.tributary.sla.repository.MaintenanceRepository.StoredWindow;
import dev.tributary.sla.repository.ReportRepository;
import dev.tributary.sla.repository.ReportRepository.FrozenReport;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Reads back from notice-service when each notice first reached each workspace: the maintenance
 * notices (whether a window qualifies for a workspace depends on it, SLA §3) and the SLA_MISS
 * notices (the customer's awareness, SLA §4); then sends the TERMINATION_RIGHT notices that have
 * become due.
 */
@ApplicationScoped
public class NoticeSync {

  /** Windows are followed until this long after their end (their month may still be open). */
  static final Duration FOLLOW_WINDOWS = Duration.ofDays(35);

  private final MaintenanceRepository maintenance;
  private final ReportRepository reports;
  private final NoticeService notices;
  private final WorkspaceDirectory directory;
  private final TerminationRightService terminationRight;
  private final Clock clock;

  NoticeSync(
      MaintenanceRepository maintenance,
      ReportRepository reports,
      NoticeService notices,
      WorkspaceDirectory directory,
      TerminationRightService terminationRight,
      Clock clock) {
    this.maintenance = maintenance;
    this.reports = reports;
    this.notices = notices;
    this.directory = directory;
    this.terminationRight = terminationRight;
    this.clock = clock;
  }

  @Scheduled(
      every = "1m",
      delayed = "20s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "sync-notices")
  Uni<Void> scheduled() {
    return syncOnce()
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf("notice synchronisation did not finish: %s", failure.toString());
              return Uni.createFrom().voidItem();
            });
  }

  public Uni<Void> syncOnce() {
    return syncMaintenanceNotices()
        .call(this::syncSlaMissNotices)
        .call(() -> directory.all().flatMap(terminationRight::notifyAvailableRights));
  }

  private Uni<Void> syncMaintenanceNotices() {
    return maintenance
        .awaitingNoticeTimes(clock.instant().minus(FOLLOW_WINDOWS))
        .flatMap(
            windows ->
                Multi.createFrom()
                    .iterable(windows)
                    .onItem()
                    .transformToUniAndConcatenate(this::syncWindow)
                    .collect()
                    .asList()
                    .replaceWithVoid());
  }

  private Uni<Void> syncWindow(StoredWindow window) {
    return notices
        .get(window.noticeId())
        .flatMap(
            notice -> maintenance.putNoticeTimes(window.id(), noticeTimes(notice), clock.instant()))
        .onFailure()
        .recoverWithUni(
            failure -> {
              // One notice that cannot be read must not hold up the others (retried next round).
              Log.warnf(
                  "delivery times of notice %s (maintenance window %s) not read yet: %s",
                  window.noticeId(), window.id(), failure.toString());
              return Uni.createFrom().voidItem();
            });
  }

  private static List<NoticeTime> noticeTimes(NoticeView notice) {
    List<Recipient> recipients = notice.recipients() == null ? List.of() : notice.recipients();
    return recipients.stream()
        .map(r -> new NoticeTime(r.workspaceId(), r.firstDeliveredAt()))
        .toList();
  }

  private Uni<Void> syncSlaMissNotices() {
    return reports
        .missNoticesAwaitingDelivery()
        .flatMap(
            pending ->
                Multi.createFrom()
                    .iterable(pending)
                    .onItem()
                    .transformToUniAndConcatenate(this::syncSlaMiss)
                    .collect()
                    .asList()
                    .replaceWithVoid());
  }

  private Uni<Void> syncSlaMiss(FrozenReport frozen) {
    return notices
        .get(frozen.slaMissNoticeId())
        .flatMap(
            notice ->
                noticeTimes(notice).stream()
                    .filter(
                        t ->
                            t.workspaceId().equals(frozen.workspaceId())
                                && t.firstDeliveredAt() != null)
                    .findFirst()
                    .map(
                        t ->
                            reports.setSlaMissNoticeSentAt(
                                frozen.workspaceId(), frozen.month(), t.firstDeliveredAt()))
                    .orElse(Uni.createFrom().voidItem()))
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf(
                  "delivery time of SLA_MISS notice %s (%s of workspace %s) not read yet: %s",
                  frozen.slaMissNoticeId(),
                  frozen.month(),
                  frozen.workspaceId(),
                  failure.toString());
              return Uni.createFrom().voidItem();
            });
  }
}
