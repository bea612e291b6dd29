package dev.tributary.sla.service;

import dev.tributary.contract.BusinessDayCalendar;
import dev.tributary.sla.evaluation.MaintenanceWindow;
import dev.tributary.sla.evaluation.MonthEvaluator;
import dev.tributary.sla.repository.MaintenanceRepository.StoredWindow;
import java.time.Instant;
import java.util.UUID;

/**
 * Scheduled maintenance windows as the status pages show them: when the notice went out, whether it
 * came 3 Pacific business days ahead (SLA §3, {@code contract/}), and the window's state.
 */
public final class WindowNotices {

  /**
   * A scheduled maintenance window as the page shows it: {@code noticeAt} is when its notice went
   * out (the platform's page: when it was announced; a workspace's page: when it reached the
   * workspace, null if it has not), whether that notice came 3 Pacific business days ahead (SLA
   * §3), and whether it is scheduled, in progress or completed.
   */
  public record Maintenance(
      UUID id,
      String description,
      Instant start,
      Instant end,
      Instant createdAt,
      Instant noticeAt,
      Integer noticeBusinessDays,
      boolean noticeQualifies,
      boolean insideWeekendWindow,
      String state) {}

  /**
   * The platform counts a window from when it was announced: its recorded notice time, else its
   * creation (a window scheduled without {@code noticeSentAt} notifies every customer then).
   */
  static Instant announcedAt(StoredWindow w) {
    return w.noticeSentAt() != null ? w.noticeSentAt() : w.createdAt();
  }

  static MaintenanceWindow announced(StoredWindow w) {
    return new MaintenanceWindow(
        w.id().toString(), w.start(), w.end(), announcedAt(w), w.description());
  }

  /** The window as a page shows it, with the notice time the page's reader got. */
  static Maintenance of(StoredWindow w, Instant noticeAt, Instant now) {
    Integer days =
        noticeAt == null
            ? null
            : BusinessDayCalendar.businessDaysStrictlyBetween(
                BusinessDayCalendar.pacificDate(noticeAt),
                BusinessDayCalendar.pacificDate(w.start()));
    boolean qualifies =
        noticeAt != null
            && BusinessDayCalendar.meetsLeadTime(
                noticeAt, w.start(), BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS);
    String state =
        now.isBefore(w.start()) ? "scheduled" : now.isBefore(w.end()) ? "in_progress" : "completed";
    return new Maintenance(
        w.id(),
        w.description(),
        w.start(),
        w.end(),
        w.createdAt(),
        noticeAt,
        days,
        qualifies,
        MonthEvaluator.insideWeekendWindow(w.start(), w.end()),
        state);
  }

  private WindowNotices() {}
}
