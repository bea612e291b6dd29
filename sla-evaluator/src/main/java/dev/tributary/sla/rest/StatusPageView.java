package dev.tributary.sla.rest;

import dev.tributary.contract.BusinessDayCalendar;
import dev.tributary.sla.evaluation.DayBars;
import dev.tributary.sla.evaluation.ExclusionOutcome;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.mapping.Statuspage;
import dev.tributary.sla.service.EndpointStates.Component;
import dev.tributary.sla.service.EndpointStates.ComponentStatus;
import dev.tributary.sla.service.StatusService.Board;
import dev.tributary.sla.service.StatusService.ClosedMonth;
import dev.tributary.sla.service.StatusService.Incident;
import dev.tributary.sla.service.StatusService.WorkspaceBoard;
import dev.tributary.sla.service.WindowNotices.Maintenance;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A status page as its template shows it: every text already written, so the template only lays it
 * out. Colour is never the only signal: every state also has a word and a symbol, every day cell a
 * pattern and its text (shown on hover and on keyboard focus).
 */
public record StatusPageView(
    String pageName,
    String title,
    String asOf,
    String asOfIso,
    String zone,
    String indicator,
    String description,
    List<ComponentView> components,
    MonthView month,
    List<DayView> days,
    List<DayView> eventfulDays,
    List<IncidentView> incidents,
    List<MaintenanceView> maintenance,
    WorkspaceView workspace) {

  public record ComponentView(
      String name, String css, String symbol, String label, String detail) {}

  public record MonthView(
      String month,
      String zone,
      String availability,
      String target,
      String verdict,
      boolean met,
      long totalMinutes,
      long eligibleMinutes,
      long unavailableMinutes,
      long maintenanceMinutes,
      long excludedMinutes,
      long noDataMinutes,
      long pendingMinutes,
      long errorBudgetMinutes,
      long errorBudgetRemainingMinutes,
      String errorBudgetText) {}

  /** One cell of the bar; {@code level} names its colour and pattern. */
  public record DayView(
      String id,
      String date,
      String level,
      String levelLabel,
      String summary,
      List<String> lines) {}

  public record IncidentView(
      String id,
      String title,
      String start,
      String startIso,
      String end,
      String endIso,
      String startLocal,
      long minutes,
      List<String> reasons,
      boolean ongoing) {}

  public record MaintenanceView(
      String id,
      String description,
      String state,
      String stateLabel,
      String startUtc,
      String endUtc,
      String startPacific,
      String endPacific,
      String startIso,
      String endIso,
      String startLocal,
      String endLocal,
      String notice,
      boolean qualifies,
      String qualifiesLabel,
      String weekend) {}

  public record ClosedMonthView(
      String month,
      String verdict,
      boolean met,
      boolean frozen,
      String availability,
      long unavailableMinutes,
      String excluded) {}

  public record ExclusionView(
      String category, String start, String end, long excludedMinutes, String reason) {}

  public record WorkspaceView(
      String name,
      String zone,
      List<ClosedMonthView> months,
      List<ExclusionView> exclusions,
      String terminationStatus,
      String terminationText,
      String terminationDeadline) {}

  private static final ZoneId UTC = ZoneId.of("UTC");

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ENGLISH);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

  /** {@code instant} in {@code zone}, to the minute, with the zone's abbreviation. */
  static String at(Instant instant, ZoneId zone) {
    return instant == null ? "" : MINUTE.format(instant.atZone(zone));
  }

  static String utc(Instant instant) {
    return at(instant, UTC);
  }

  static String pacific(Instant instant) {
    return at(instant, BusinessDayCalendar.PACIFIC);
  }

  private static boolean isUtc(ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC);
  }

  static String minutes(long n) {
    return n + (n == 1 ? " minute" : " minutes");
  }

  /** The platform's page. */
  static StatusPageView platform(Board board, String pageName) {
    return of(board, pageName, pageName + " status", null);
  }

  /** A workspace's page (its name is shown only there). */
  static StatusPageView workspace(WorkspaceBoard ws, String pageName) {
    Board board = ws.board();
    List<ClosedMonthView> months = new ArrayList<>();
    for (ClosedMonth m : ws.months()) {
      MonthReport r = m.report();
      months.add(
          r == null
              ? new ClosedMonthView(m.month().toString(), "not closed yet", false, false, "", 0, "")
              : new ClosedMonthView(
                  m.month().toString(),
                  r.targetMet() ? "met" : "missed",
                  r.targetMet(),
                  true,
                  m.availability(),
                  r.unavailableMinutes(),
                  excluded(r.excludedByCategory())));
    }
    List<ExclusionView> exclusions = new ArrayList<>();
    if (board.month() != null) {
      for (ExclusionOutcome e : board.month().exclusions()) {
        exclusions.add(
            new ExclusionView(
                e.category(),
                at(e.start(), board.zone()),
                at(e.end(), board.zone()),
                e.excludedMinutes(),
                e.reason()));
      }
    }
    var right = ws.terminationRight();
    String text =
        switch (right.status()) {
          case "AVAILABLE" ->
              "Available: the target was missed in "
                  + right.triggeringMonths()
                  + "; it may be exercised until the deadline.";
          case "WAIVED" -> "Waived: it was not exercised by its deadline.";
          case "EXERCISED" -> "Exercised.";
          default -> "None: no two consecutive missed months and no three missed in six.";
        };
    WorkspaceView view =
        new WorkspaceView(
            ws.workspace().name(),
            board.zone().getId(),
            months,
            exclusions,
            right.status(),
            text,
            right.deadline() == null
                ? ""
                : at(right.deadline(), board.zone()) + " (" + utc(right.deadline()) + ")");
    return of(board, pageName, ws.workspace().name() + ": SLA status", view);
  }

  private static String excluded(Map<String, Long> byCategory) {
    if (byCategory.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    byCategory.forEach((category, n) -> parts.add(label(category) + " " + minutes(n)));
    return String.join(", ", parts);
  }

  /** An exclusion category or SCHEDULED_MAINTENANCE in words. */
  static String label(String reason) {
    return reason.toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  private static StatusPageView of(
      Board board, String pageName, String title, WorkspaceView workspace) {
    ZoneId zone = board.zone();
    List<ComponentView> components = new ArrayList<>();
    for (Component c : board.components()) {
      components.add(
          new ComponentView(
              c.endpoint(),
              c.status().code.replace('_', '-'),
              symbol(c.status()),
              c.status().label,
              c.detail()));
    }
    MonthReport r = board.month();
    MonthView month =
        r == null
            ? null
            : new MonthView(
                r.month(),
                r.timeZone(),
                board.availability(),
                r.targetPercent(),
                r.targetMet() ? "target met so far" : "target missed",
                r.targetMet(),
                r.totalMinutes(),
                r.eligibleMinutes(),
                r.unavailableMinutes(),
                r.maintenanceExcludedMinutes(),
                r.excludedMinutes() - r.maintenanceExcludedMinutes(),
                r.noDataMinutes(),
                r.pendingMinutes(),
                r.errorBudgetMinutes(),
                r.errorBudgetRemainingMinutes(),
                r.errorBudgetRemainingMinutes() >= 0
                    ? r.errorBudgetRemainingMinutes() + " of " + r.errorBudgetMinutes() + " min"
                    : "0 of "
                        + r.errorBudgetMinutes()
                        + " min ("
                        + -r.errorBudgetRemainingMinutes()
                        + " min over)");
    LocalDate today = LocalDate.ofInstant(board.asOf(), zone);
    List<DayView> days = new ArrayList<>();
    List<DayView> eventful = new ArrayList<>();
    for (DayBars.Day d : board.days()) {
      DayView day = day(d, today);
      days.add(day);
      if (d.unavailableMinutes() > 0 || d.maintenanceMinutes() > 0 || d.excludedMinutes() > 0) {
        eventful.add(day);
      }
    }
    java.util.Collections.reverse(eventful);
    List<IncidentView> incidents = new ArrayList<>();
    for (Incident i : board.incidents()) {
      incidents.add(
          new IncidentView(
              i.id(),
              Statuspage.name(i),
              utc(i.run().start()),
              i.run().start().toString(),
              i.ongoing() ? "" : utc(i.run().end()),
              i.run().end().toString(),
              isUtc(zone) ? "" : at(i.run().start(), zone),
              i.run().minutes(),
              reasons(i.run().reasons(), i.run().more()),
              i.ongoing()));
    }
    List<MaintenanceView> maintenance = new ArrayList<>();
    for (Maintenance m : board.maintenance()) {
      if ("completed".equals(m.state())) {
        continue;
      }
      maintenance.add(
          new MaintenanceView(
              m.id().toString(),
              m.description(),
              m.state(),
              "in_progress".equals(m.state()) ? "In progress" : "Scheduled",
              utc(m.start()),
              utc(m.end()),
              pacific(m.start()),
              pacific(m.end()),
              m.start().toString(),
              m.end().toString(),
              isUtc(zone) ? "" : at(m.start(), zone),
              isUtc(zone) ? "" : at(m.end(), zone),
              m.noticeAt() == null
                  ? "no notice has reached this workspace yet"
                  : "notice "
                      + utc(m.noticeAt())
                      + ", "
                      + m.noticeBusinessDays()
                      + (m.noticeBusinessDays() == 1 ? " business day" : " business days")
                      + " ahead",
              m.noticeQualifies(),
              m.noticeQualifies()
                  ? "Notice qualified (at least 3 Pacific business days): its minutes are excluded"
                  : "Notice did not qualify (fewer than 3 Pacific business days): its minutes count",
              m.insideWeekendWindow()
                  ? "inside the weekend window (Friday 18:00 to Monday 03:00 Pacific)"
                  : "outside the weekend window (Friday 18:00 to Monday 03:00 Pacific)"));
    }
    return new StatusPageView(
        pageName,
        title,
        at(board.asOf(), zone),
        board.asOf().toString(),
        zone.getId(),
        board.indicator(),
        board.description(),
        components,
        month,
        days,
        eventful,
        incidents,
        maintenance,
        workspace);
  }

  private static String symbol(ComponentStatus status) {
    return switch (status) {
      case OPERATIONAL -> "✓";
      case DEGRADED_PERFORMANCE -> "!";
      case MAJOR_OUTAGE -> "✕";
      case UNDER_MAINTENANCE -> "⚙";
    };
  }

  private static List<String> reasons(List<String> reasons, int more) {
    List<String> all = new ArrayList<>(reasons);
    if (more > 0) {
      all.add("and " + more + " more");
    }
    return all;
  }

  /** The day's colour level: by unavailable minutes, then maintenance, then data. */
  static String level(DayBars.Day d) {
    long judged = d.minutesKnown() - d.pendingMinutes();
    if (d.unavailableMinutes() >= 60) {
      return "major";
    }
    if (d.unavailableMinutes() >= 5) {
      return "partial";
    }
    if (d.unavailableMinutes() > 0) {
      return "minor";
    }
    if (d.maintenanceMinutes() > 0) {
      return "maintenance";
    }
    if (judged <= 0 || d.noDataMinutes() == judged) {
      return "nodata";
    }
    return "ok";
  }

  private static String levelLabel(String level) {
    return switch (level) {
      case "major" -> "outage (60 minutes or more unavailable)";
      case "partial" -> "partial outage (5 to 59 minutes unavailable)";
      case "minor" -> "minor (1 to 4 minutes unavailable)";
      case "maintenance" -> "scheduled maintenance";
      case "nodata" -> "no data";
      default -> "operational";
    };
  }

  private static DayView day(DayBars.Day d, LocalDate today) {
    String level = level(d);
    List<String> parts = new ArrayList<>();
    if (d.unavailableMinutes() > 0) {
      parts.add(minutes(d.unavailableMinutes()) + " unavailable");
    }
    if (d.maintenanceMinutes() > 0) {
      parts.add(minutes(d.maintenanceMinutes()) + " scheduled maintenance (excluded)");
    }
    d.excludedByReason()
        .forEach(
            (reason, n) -> {
              if (!"SCHEDULED_MAINTENANCE".equals(reason)) {
                parts.add(minutes(n) + " excluded (" + label(reason) + ")");
              }
            });
    if (d.noDataMinutes() > 0) {
      parts.add(minutes(d.noDataMinutes()) + " without probe results");
    }
    if (parts.isEmpty()) {
      parts.add(d.minutesKnown() == 0 ? "no data" : "no unavailable minutes");
    }
    if (d.date().equals(today)) {
      parts.add("today, so far");
    }
    List<String> lines = new ArrayList<>(d.reasons());
    if (d.moreReasons() > 0) {
      lines.add("and " + d.moreReasons() + " more reasons");
    }
    return new DayView(
        "day-" + d.date(),
        DAY.format(d.date()),
        level,
        levelLabel(level),
        String.join("; ", parts),
        lines);
  }
}
