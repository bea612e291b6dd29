package dev.tributary.sla.service;

import dev.tributary.sla.client.WorkspaceRecord;
import dev.tributary.sla.evaluation.DayBars;
import dev.tributary.sla.evaluation.Ledger;
import dev.tributary.sla.evaluation.MaintenanceWindow;
import dev.tributary.sla.evaluation.MonthFacts;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.evaluation.ProbeGap;
import dev.tributary.sla.evaluation.ProbeMinute;
import dev.tributary.sla.evaluation.SparseMonthEvaluator;
import dev.tributary.sla.evaluation.TerminationRightStatus;
import dev.tributary.sla.repository.ExclusionRepository;
import dev.tributary.sla.repository.MaintenanceRepository;
import dev.tributary.sla.repository.MaintenanceRepository.StoredWindow;
import dev.tributary.sla.repository.ReportRepository;
import dev.tributary.sla.repository.ReportRepository.FrozenReport;
import dev.tributary.sla.service.EndpointStates.Component;
import dev.tributary.sla.service.ProbeTimeline.ProbeFacts;
import dev.tributary.sla.service.WindowNotices.Maintenance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What the status pages and the Statuspage-compatible JSON show (issue 13), assembled from the same
 * evaluation as the reports: the platform's month is {@link SparseMonthEvaluator} on the platform's
 * own evidence in UTC; a workspace's month is {@link ReportService#evaluate} (or its frozen
 * report), so the pages' figures are the report API's figures, floored to four decimals.
 *
 * <p>One page costs a bounded number of queries whatever the number of workspaces: the probe
 * evidence comes from the {@link ProbeTimeline} in memory, the days from the months' ledgers (runs,
 * never minutes), the windows and exclusions from one query each.
 */
@ApplicationScoped
public class StatusService {

  /** The platform's page counts in UTC (named so, not "Z", on the page). */
  static final ZoneId UTC = ZoneId.of("UTC");

  /** Days on the bar, today included. */
  public static final int DAYS = 90;

  /** Frozen months listed on a workspace's page. */
  public static final int MONTHS = 12;

  /** How far ahead the pages list scheduled maintenance. */
  static final Duration UPCOMING = Duration.ofDays(365);

  /**
   * What both pages show: the time zone of the days and the month, the components, the month's
   * report with its availability floored to four decimals, the days, the incidents (newest first),
   * the maintenance (soonest first).
   */
  public record Board(
      Instant asOf,
      ZoneId zone,
      List<Component> components,
      String indicator,
      String description,
      MonthReport month,
      String availability,
      List<DayBars.Day> days,
      List<Incident> incidents,
      List<Maintenance> maintenance) {}

  /**
   * An incident: consecutive unavailable minutes, the endpoints whose every probe failed in them
   * (the platform's page; empty on a workspace's) and whether it lasts to the latest finished
   * minute.
   */
  public record Incident(DayBars.Incident run, Set<String> endpoints, boolean ongoing) {

    /** Stable while it lasts: the epoch minute it started. */
    public String id() {
      return "inc-" + run.start().getEpochSecond() / 60;
    }
  }

  /** A closed month on a workspace's page; {@code report} null when it is not frozen yet. */
  public record ClosedMonth(YearMonth month, MonthReport report, String availability) {}

  /** A workspace's page. */
  public record WorkspaceBoard(
      WorkspaceRecord workspace,
      Board board,
      List<ClosedMonth> months,
      TerminationRightStatus terminationRight) {}

  private final ProbeTimeline timeline;
  private final MaintenanceRepository maintenance;
  private final ExclusionRepository exclusions;
  private final ReportRepository reports;
  private final ReportService reportService;
  private final TerminationRightService terminationRight;
  private final Clock clock;

  StatusService(
      ProbeTimeline timeline,
      MaintenanceRepository maintenance,
      ExclusionRepository exclusions,
      ReportRepository reports,
      ReportService reportService,
      TerminationRightService terminationRight,
      Clock clock) {
    this.timeline = timeline;
    this.maintenance = maintenance;
    this.exclusions = exclusions;
    this.reports = reports;
    this.reportService = reportService;
    this.terminationRight = terminationRight;
    this.clock = clock;
  }

  /** An availability percentage (6 decimals, truncated) floored to 4: never rounded up. */
  public static String floor4(String availabilityPercent) {
    return new BigDecimal(availabilityPercent).setScale(4, RoundingMode.FLOOR).toPlainString();
  }

  /**
   * The platform's page, in UTC: one read of the probe timeline for the whole range (the months and
   * the components are cut from it), one query for the windows, one for the exclusions.
   */
  public Uni<Board> platform() {
    Instant now = clock.instant();
    ZoneId zone = UTC;
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate first = today.minusDays(DAYS - 1);
    Instant rangeStart = first.atStartOfDay(zone).toInstant();
    List<YearMonth> months = months(first, today);
    Instant monthsStart = ReportService.monthStart(months.get(0), zone);
    Instant monthsEnd = ReportService.monthStart(YearMonth.from(today).plusMonths(1), zone);
    return Uni.combine()
        .all()
        .unis(
            maintenance.list(monthsStart, now.plus(UPCOMING)),
            exclusions.ofEveryone(monthsStart, monthsEnd),
            timeline.facts(rangeStart, monthsEnd, now))
        .asTuple()
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            t -> {
              List<StoredWindow> windows =
                  t.getItem1().stream().filter(w -> "SCHEDULED".equals(w.status())).toList();
              List<MaintenanceWindow> counted =
                  windows.stream().map(WindowNotices::announced).toList();
              List<dev.tributary.sla.evaluation.Exclusion> declared =
                  t.getItem2().stream().map(ReportService::exclusion).toList();
              ProbeFacts probes = t.getItem3();
              boolean inMaintenance =
                  windows.stream().anyMatch(w -> !w.start().isAfter(now) && w.end().isAfter(now));
              Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
              List<Component> components =
                  EndpointStates.of(
                      clip(probes, minute.minus(EndpointStates.RECENT), minute),
                      minute.minus(EndpointStates.RECENT),
                      minute,
                      inMaintenance);
              List<Ledger.Run> runs = new ArrayList<>();
              MonthReport current = null;
              for (YearMonth m : months) {
                Instant from = ReportService.monthStart(m, zone);
                Instant to = ReportService.monthStart(m.plusMonths(1), zone);
                // Minutes before the range are not shown, and a minute's verdict depends only on
                // its own evidence; the windows and exclusions are the month's (the maintenance
                // cap counts from its first window).
                ProbeFacts month = clip(probes, from.isBefore(rangeStart) ? rangeStart : from, to);
                SparseMonthEvaluator.Result result =
                    SparseMonthEvaluator.evaluate(
                        new MonthFacts(
                            m,
                            zone,
                            month.failed(),
                            month.gaps(),
                            List.of(),
                            List.of(),
                            counted,
                            declared,
                            now.isBefore(to) ? now : null));
                runs.addAll(result.ledger());
                current = result.report();
              }
              List<Maintenance> shown = new ArrayList<>();
              for (StoredWindow w : windows) {
                if (w.end().isAfter(rangeStart)) {
                  shown.add(WindowNotices.of(w, WindowNotices.announcedAt(w), now));
                }
              }
              return board(
                  now, zone, components, current, runs, probes.failed(), first, today, shown);
            });
  }

  /** The probe facts inside [from, to): the failed minutes there, the gaps cut to it. */
  static ProbeFacts clip(ProbeFacts facts, Instant from, Instant to) {
    List<ProbeMinute> failed =
        facts.failed().stream()
            .filter(m -> !m.minute().isBefore(from) && m.minute().isBefore(to))
            .toList();
    List<ProbeGap> gaps = new ArrayList<>();
    for (ProbeGap g : facts.gaps()) {
      Instant start = g.start().isBefore(from) ? from : g.start();
      Instant end = g.end().isAfter(to) ? to : g.end();
      if (start.isBefore(end)) {
        gaps.add(new ProbeGap(start, end, g.reason()));
      }
    }
    return new ProbeFacts(failed, gaps);
  }

  /** A workspace's page, in its contract time zone. */
  public Uni<WorkspaceBoard> workspace(UUID workspaceId) {
    Instant now = clock.instant();
    return reportService
        .workspace(workspaceId)
        .flatMap(
            ws -> {
              ZoneId zone = ws.zone();
              LocalDate today = LocalDate.ofInstant(now, zone);
              LocalDate first = today.minusDays(DAYS - 1);
              YearMonth current = YearMonth.from(today);
              YearMonth created =
                  ws.createdAt() == null ? null : YearMonth.from(ws.createdAt().atZone(zone));
              List<YearMonth> months =
                  months(first, today).stream()
                      .filter(m -> created == null || !m.isBefore(created))
                      .toList();
              return Uni.combine()
                  .all()
                  .unis(
                      reports.since(workspaceId, current.minusMonths(MONTHS)),
                      maintenance.forWorkspace(
                          workspaceId, now.minus(Duration.ofDays(DAYS)), now.plus(UPCOMING)),
                      components(now),
                      terminationRight.status(ws, now))
                  .asTuple()
                  // Frozen reports and ledgers are parsed off the event loop.
                  .emitOn(Infrastructure.getDefaultWorkerPool())
                  .flatMap(
                      t -> {
                        Map<YearMonth, FrozenReport> frozen = new HashMap<>();
                        t.getItem1().forEach(f -> frozen.put(f.month(), f));
                        return Multi.createFrom()
                            .iterable(months)
                            .onItem()
                            .transformToUniAndConcatenate(
                                m ->
                                    frozen.containsKey(m)
                                        ? Uni.createFrom()
                                            .item(
                                                new SparseMonthEvaluator.Result(
                                                    reportService.read(frozen.get(m).reportJson()),
                                                    reportService.readRuns(
                                                        frozen.get(m).ledgerJson())))
                                        : reportService.evaluate(ws, m, now))
                            .collect()
                            .asList()
                            .map(
                                results -> {
                                  List<Ledger.Run> runs = new ArrayList<>();
                                  results.forEach(r -> runs.addAll(r.ledger()));
                                  MonthReport month =
                                      results.isEmpty()
                                          ? null
                                          : results.get(results.size() - 1).report();
                                  List<Maintenance> shown =
                                      t.getItem2().stream()
                                          .map(
                                              w ->
                                                  WindowNotices.of(
                                                      w.window(), w.noticeSentAt(), now))
                                          .toList();
                                  Board board =
                                      board(
                                          now,
                                          zone,
                                          t.getItem3(),
                                          month,
                                          runs,
                                          List.of(),
                                          first,
                                          today,
                                          shown);
                                  List<ClosedMonth> closed = new ArrayList<>();
                                  for (int i = 1; i <= MONTHS; i++) {
                                    YearMonth m = current.minusMonths(i);
                                    if (created != null && m.isBefore(created)) {
                                      break;
                                    }
                                    FrozenReport f = frozen.get(m);
                                    MonthReport r =
                                        f == null ? null : reportService.read(f.reportJson());
                                    closed.add(
                                        new ClosedMonth(
                                            m,
                                            r,
                                            r == null ? null : floor4(r.availabilityPercent())));
                                  }
                                  return new WorkspaceBoard(ws, board, closed, t.getItem4());
                                });
                      });
            });
  }

  /** The endpoints now ({@link EndpointStates}). */
  Uni<List<Component>> components(Instant now) {
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    Instant start = end.minus(EndpointStates.RECENT);
    return Uni.combine()
        .all()
        .unis(timeline.facts(start, end, end), maintenance.list(now, now.plusSeconds(1)))
        .asTuple()
        .map(
            t -> {
              boolean inMaintenance =
                  t.getItem2().stream()
                      .anyMatch(
                          w ->
                              "SCHEDULED".equals(w.status())
                                  && !w.start().isAfter(now)
                                  && w.end().isAfter(now));
              return EndpointStates.of(t.getItem1(), start, end, inMaintenance);
            });
  }

  private static Board board(
      Instant now,
      ZoneId zone,
      List<Component> components,
      MonthReport month,
      List<Ledger.Run> runs,
      List<ProbeMinute> failed,
      LocalDate first,
      LocalDate today,
      List<Maintenance> maintenance) {
    String[] indicator = EndpointStates.indicator(components);
    Instant shownFrom = first.atStartOfDay(zone).toInstant();
    Instant latestEnd = now.truncatedTo(ChronoUnit.MINUTES);
    List<Incident> incidents = new ArrayList<>();
    for (DayBars.Incident run : DayBars.incidents(runs)) {
      if (run.end().isAfter(shownFrom)) {
        Set<String> endpoints = new TreeSet<>();
        for (ProbeMinute m : failed) {
          if (!m.minute().isBefore(run.start()) && m.minute().isBefore(run.end())) {
            endpoints.addAll(m.failedEndpoints());
          }
        }
        incidents.add(new Incident(run, endpoints, !run.end().isBefore(latestEnd)));
      }
    }
    Collections.reverse(incidents);
    List<Maintenance> sorted = new ArrayList<>(maintenance);
    sorted.sort((a, b) -> a.start().compareTo(b.start()));
    return new Board(
        now,
        zone,
        components,
        indicator[0],
        indicator[1],
        month,
        month == null ? null : floor4(month.availabilityPercent()),
        DayBars.days(runs, zone, first, today),
        List.copyOf(incidents),
        List.copyOf(sorted));
  }

  /** The calendar months of the days {@code first} to {@code last}, oldest first. */
  private static List<YearMonth> months(LocalDate first, LocalDate last) {
    List<YearMonth> months = new ArrayList<>();
    for (YearMonth m = YearMonth.from(first);
        !m.isAfter(YearMonth.from(last));
        m = m.plusMonths(1)) {
      months.add(m);
    }
    return months;
  }
}
