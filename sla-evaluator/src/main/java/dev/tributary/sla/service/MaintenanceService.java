package dev.tributary.sla.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tributary.contract.BusinessDayCalendar;
import dev.tributary.sla.client.NoticeService;
import dev.tributary.sla.evaluation.MonthEvaluator;
import dev.tributary.sla.repository.MaintenanceRepository;
import dev.tributary.sla.repository.MaintenanceRepository.NoticeTime;
import dev.tributary.sla.repository.MaintenanceRepository.StoredWindow;
import dev.tributary.support.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Scheduled maintenance (SLA §3). Without a {@code noticeSentAt}, scheduling a window has
 * notice-service notify every customer, and each workspace's window qualifies from the time that
 * notice first reached it; cancelling and rescheduling notify through notice-service too. A window
 * that overlaps another is refused before anyone is notified.
 */
@ApplicationScoped
public class MaintenanceService {

  /** A window with what the SLA says about it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WindowView(
      UUID id,
      Instant start,
      Instant end,
      long durationMinutes,
      String description,
      String status,
      String statusReason,
      UUID noticeId,
      Instant noticeSentAt,
      boolean insideWeekendWindow,
      LeadTime leadTime,
      List<String> flags,
      UUID replaces,
      Instant createdAt,
      String createdBy,
      List<NoticeTime> noticeDeliveries) {}

  /**
   * SLA §3's notice rule for this window: 3 Pacific business days strictly between the notice date
   * and the start date. {@code met} is null while the notice is only being delivered.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LeadTime(
      int requiredBusinessDays, LocalDate latestNoticeDate, Integer businessDays, Boolean met) {}

  private final MaintenanceRepository windows;
  private final NoticeService notices;
  private final Clock clock;

  MaintenanceService(MaintenanceRepository windows, NoticeService notices, Clock clock) {
    this.windows = windows;
    this.notices = notices;
    this.clock = clock;
  }

  public Uni<WindowView> schedule(
      Instant start, Instant end, String description, Instant noticeSentAt, String actor) {
    Instant now = clock.instant();
    if (noticeSentAt == null && !start.isAfter(now)) {
      throw ApiException.unprocessable(
          "window_in_past",
          "the window has started: give noticeSentAt to record a window notified elsewhere");
    }
    if (noticeSentAt != null && noticeSentAt.isAfter(now)) {
      throw ApiException.unprocessable("notice_in_future", "noticeSentAt is in the future");
    }
    UUID id = UUID.randomUUID();
    return refuseOverlap(start, end, null)
        .flatMap(
            ignored ->
                noticeSentAt != null
                    ? Uni.createFrom().item((UUID) null)
                    : notices
                        .maintenance(id, start, end, description)
                        .onFailure()
                        .transform(NoticeService::unavailable)
                        .map(created -> created.id()))
        .flatMap(
            noticeId -> {
              StoredWindow window =
                  new StoredWindow(
                      id,
                      start,
                      end,
                      description,
                      noticeId,
                      noticeSentAt,
                      "SCHEDULED",
                      null,
                      now,
                      actor,
                      null);
              return windows.insert(window).replaceWith(window);
            })
        .invoke(
            w ->
                Log.infof(
                    "maintenance window %s scheduled by %s: %s..%s (notice %s)",
                    w.id(),
                    actor,
                    w.start(),
                    w.end(),
                    w.noticeId() != null ? w.noticeId() : "sent " + w.noticeSentAt()))
        .map(w -> view(w, List.of()));
  }

  public Uni<WindowView> cancel(UUID id, String reason, String actor) {
    return scheduled(id)
        .flatMap(
            w ->
                (w.noticeId() == null
                        ? Uni.createFrom().voidItem()
                        : notices
                            .maintenanceCancelled(
                                w.id(), w.noticeId(), w.start(), w.end(), w.description())
                            .onFailure()
                            .transform(NoticeService::unavailable)
                            .replaceWithVoid())
                    .flatMap(ignored -> windows.cancel(id, reason))
                    .invoke(() -> Log.infof("maintenance window %s cancelled by %s", id, actor)))
        .flatMap(ignored -> get(id));
  }

  public Uni<WindowView> reschedule(
      UUID id, Instant start, Instant end, String description, Instant noticeSentAt, String actor) {
    Instant now = clock.instant();
    if (noticeSentAt != null && noticeSentAt.isAfter(now)) {
      throw ApiException.unprocessable("notice_in_future", "noticeSentAt is in the future");
    }
    UUID newId = UUID.randomUUID();
    return scheduled(id)
        .call(old -> refuseOverlap(start, end, id))
        .flatMap(
            old -> {
              String text = description != null ? description : old.description();
              Uni<UUID> notice;
              if (old.noticeId() != null) {
                if (!start.isAfter(now)) {
                  throw ApiException.unprocessable(
                      "window_in_past", "a rescheduled window must start in the future");
                }
                notice =
                    notices
                        .maintenanceRescheduled(newId, old.noticeId(), start, end, text)
                        .onFailure()
                        .transform(NoticeService::unavailable)
                        .map(created -> created.id());
              } else if (noticeSentAt == null) {
                throw ApiException.unprocessable(
                    "missing_field",
                    "the window was notified outside the platform: give the new noticeSentAt");
              } else {
                notice = Uni.createFrom().nullItem();
              }
              return notice.flatMap(
                  noticeId -> {
                    StoredWindow replacement =
                        new StoredWindow(
                            newId,
                            start,
                            end,
                            text,
                            noticeId,
                            noticeId == null ? noticeSentAt : null,
                            "SCHEDULED",
                            id,
                            now,
                            actor,
                            null);
                    return windows
                        .reschedule(id, "rescheduled as " + newId, replacement)
                        .replaceWith(replacement);
                  });
            })
        .invoke(
            w ->
                Log.infof(
                    "maintenance window %s rescheduled by %s as %s: %s..%s",
                    id, actor, w.id(), w.start(), w.end()))
        .map(w -> view(w, List.of()));
  }

  public Uni<WindowView> get(UUID id) {
    return windows
        .find(id)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("maintenance window " + id)))
        .flatMap(w -> windows.noticeTimes(id).map(times -> view(w, times)));
  }

  public Uni<List<WindowView>> list(Instant from, Instant to) {
    return windows.list(from, to).map(list -> list.stream().map(w -> view(w, null)).toList());
  }

  private Uni<StoredWindow> scheduled(UUID id) {
    return windows
        .find(id)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("maintenance window " + id)))
        .invoke(
            w -> {
              if (!"SCHEDULED".equals(w.status())) {
                throw new ApiException(
                    409,
                    "maintenance_window_not_scheduled",
                    "the window was already " + w.status().toLowerCase(java.util.Locale.ROOT));
              }
            });
  }

  private Uni<Void> refuseOverlap(Instant start, Instant end, UUID except) {
    return windows
        .list(start, end)
        .invoke(
            existing -> {
              for (StoredWindow w : existing) {
                if ("SCHEDULED".equals(w.status()) && !w.id().equals(except)) {
                  throw new ApiException(
                      409,
                      "maintenance_window_overlap",
                      "the window overlaps scheduled window "
                          + w.id()
                          + " ("
                          + w.start()
                          + " to "
                          + w.end()
                          + "); cancel or reschedule that one first");
                }
              }
            })
        .replaceWithVoid();
  }

  WindowView view(StoredWindow w, List<NoticeTime> deliveries) {
    boolean weekend = MonthEvaluator.insideWeekendWindow(w.start(), w.end());
    long minutes = Duration.between(w.start(), w.end()).toMinutes();
    LocalDate latestNoticeDate = latestNoticeDate(w.start());
    Integer businessDays = null;
    Boolean met = null;
    if (w.noticeSentAt() != null) {
      businessDays =
          BusinessDayCalendar.businessDaysStrictlyBetween(
              BusinessDayCalendar.pacificDate(w.noticeSentAt()),
              BusinessDayCalendar.pacificDate(w.start()));
      met = businessDays >= BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS;
    }
    List<String> flags = new ArrayList<>();
    if (!weekend) {
      flags.add("MAINTENANCE_OUTSIDE_WEEKEND_WINDOW");
    }
    if (minutes > MonthEvaluator.MAINTENANCE_CAP_MINUTES) {
      flags.add("LONGER_THAN_MONTHLY_CAP");
    }
    if (Boolean.FALSE.equals(met)
        || (w.noticeId() != null
            && latestNoticeDate.isBefore(BusinessDayCalendar.pacificDate(w.createdAt())))) {
      flags.add("MAINTENANCE_NOTICE_TOO_LATE");
    }
    return new WindowView(
        w.id(),
        w.start(),
        w.end(),
        minutes,
        w.description(),
        w.status(),
        w.statusReason(),
        w.noticeId(),
        w.noticeSentAt(),
        weekend,
        new LeadTime(
            BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS,
            latestNoticeDate,
            businessDays,
            met),
        flags,
        w.replaces(),
        w.createdAt(),
        w.createdBy(),
        deliveries);
  }

  /** The last Pacific date a notice may be sent for a window starting at {@code start}. */
  static LocalDate latestNoticeDate(Instant start) {
    LocalDate startDate = BusinessDayCalendar.pacificDate(start);
    LocalDate day = startDate;
    int counted = 0;
    while (counted < BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS) {
      day = day.minusDays(1);
      if (BusinessDayCalendar.isBusinessDay(day)) {
        counted++;
      }
    }
    return day.minusDays(1);
  }
}
