package dev.tributary.sla.service;

import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.client.WorkspaceRecord;
import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.evaluation.Exclusion;
import dev.tributary.sla.evaluation.MonthFacts;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.evaluation.RequestMinute;
import dev.tributary.sla.evaluation.SparseMonthEvaluator;
import dev.tributary.sla.repository.EvidenceRepository;
import dev.tributary.sla.repository.ExclusionRepository;
import dev.tributary.sla.repository.ExclusionRepository.StoredExclusion;
import dev.tributary.sla.repository.MaintenanceRepository;
import dev.tributary.sla.repository.MaintenanceRepository.StoredWindow;
import dev.tributary.sla.repository.MaintenanceRepository.WindowsForAll;
import dev.tributary.sla.service.ProbeTimeline.MinuteState;
import dev.tributary.sla.service.ProbeTimeline.ProbeFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SLA in Prometheus, refreshed every minute from the same evaluation as the reports, with a
 * number of series that does not grow with the number of workspaces:
 *
 * <ul>
 *   <li>{@code tributary_sla_minutes_total{verdict}}: the platform's finished minutes as the probes
 *       judged them (available, unavailable, no_data; excluded inside scheduled maintenance or a
 *       platform-wide exclusion), the error ratio of the burn-rate alerts in {@code
 *       k8s/monitoring/sla-evaluator-prometheusrule.yaml};
 *   <li>{@code tributary_sla_workspaces{state}}: how many workspaces meet the target this month
 *       ({@code met}), burn their error budget faster than it lasts the month ({@code at_risk}), or
 *       have already missed it ({@code missed});
 *   <li>per workspace, only for those at risk or missed (and those listed in {@code
 *       tributary.sla.metrics.workspaces}): {@code tributary_sla_availability_percent}, {@code
 *       tributary_sla_error_budget_remaining_minutes} and {@code
 *       tributary_sla_error_budget_burn_rate}; a workspace's series go away when it is no longer at
 *       risk.
 * </ul>
 *
 * A minute is counted once it is {@link #SETTLE} old (its request statistics have been copied). One
 * refresh reads the month's unusual evidence for every workspace at once (a handful of queries) and
 * evaluates each workspace's month sparsely on a worker thread.
 */
@ApplicationScoped
public class SlaMetrics {

  static final Duration SETTLE = Duration.ofMinutes(2);

  /** After a long pause, platform minutes older than this are not counted any more. */
  static final Duration MAX_BACKLOG = Duration.ofHours(24);

  /** How a workspace's month stands against its error budget. */
  enum Standing {
    MET,
    AT_RISK,
    MISSED
  }

  /** The published series of one workspace and their values. */
  private static final class WorkspaceSeries {
    final AtomicLong availabilityMicros = new AtomicLong(100_000_000);
    final AtomicLong budgetRemaining = new AtomicLong();
    final AtomicLong burnRateMillis = new AtomicLong();
    final List<Meter> meters = new ArrayList<>();
  }

  private final WorkspaceDirectory directory;
  private final ProbeTimeline timeline;
  private final EvidenceRepository evidence;
  private final MaintenanceRepository maintenance;
  private final ExclusionRepository exclusions;
  private final SlaConfig config;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<UUID, WorkspaceSeries> published = new ConcurrentHashMap<>();
  private final Map<Standing, AtomicLong> standings = new EnumMap<>(Standing.class);
  private final Map<MinuteState, Counter> platformMinutes = new EnumMap<>(MinuteState.class);
  private final Counter excludedMinutes;
  private final Timer refreshes;
  private volatile Instant countedUntil;

  SlaMetrics(
      WorkspaceDirectory directory,
      ProbeTimeline timeline,
      EvidenceRepository evidence,
      MaintenanceRepository maintenance,
      ExclusionRepository exclusions,
      SlaConfig config,
      MeterRegistry registry,
      Clock clock) {
    this.directory = directory;
    this.timeline = timeline;
    this.evidence = evidence;
    this.maintenance = maintenance;
    this.exclusions = exclusions;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    for (Standing standing : Standing.values()) {
      AtomicLong count = new AtomicLong();
      standings.put(standing, count);
      Gauge.builder("tributary.sla.workspaces", count, AtomicLong::get)
          .description("Workspaces by how their current month stands against the 99.99% target")
          .tag("state", standing.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    for (MinuteState state : MinuteState.values()) {
      platformMinutes.put(state, minutes(state.name().toLowerCase(Locale.ROOT)));
    }
    excludedMinutes = minutes("excluded");
    refreshes =
        Timer.builder("tributary.sla.metrics.refresh")
            .description("Evaluations of every workspace's current month for these metrics")
            .register(registry);
  }

  @Scheduled(
      cron = "45 * * * * ?",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      identity = "sla-metrics")
  Uni<Void> scheduled() {
    return refresh()
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf("SLA metrics not refreshed: %s", failure.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /** Evaluates every workspace's current month and updates the series. */
  public Uni<Void> refresh() {
    long started = System.nanoTime();
    Instant asOf = clock.instant().minus(SETTLE).truncatedTo(ChronoUnit.MINUTES);
    return directory
        .all()
        .flatMap(workspaces -> evaluateAll(workspaces, asOf))
        .invoke(() -> refreshes.record(Duration.ofNanos(System.nanoTime() - started)));
  }

  private Uni<Void> evaluateAll(List<WorkspaceRecord> workspaces, Instant asOf) {
    // Every time zone's current month, and the range they span together.
    Map<ZoneId, YearMonth> months = new HashMap<>();
    Instant from = asOf.minus(Duration.ofDays(1));
    Instant to = asOf;
    for (WorkspaceRecord ws : workspaces) {
      YearMonth month = months.computeIfAbsent(ws.zone(), z -> YearMonth.from(asOf.atZone(z)));
      Instant start = ReportService.monthStart(month, ws.zone());
      Instant end = ReportService.monthStart(month.plusMonths(1), ws.zone());
      from = start.isBefore(from) ? start : from;
      to = end.isAfter(to) ? end : to;
    }
    Map<ZoneId, ProbeFacts> probes = new ConcurrentHashMap<>();
    Uni<Void> readProbes =
        Multi.createFrom()
            .iterable(months.entrySet())
            .onItem()
            .transformToUniAndConcatenate(
                e ->
                    timeline
                        .facts(
                            ReportService.monthStart(e.getValue(), e.getKey()),
                            ReportService.monthStart(e.getValue().plusMonths(1), e.getKey()),
                            asOf)
                        .invoke(facts -> probes.put(e.getKey(), facts)))
            .collect()
            .last()
            .replaceWithVoid();
    Instant rangeStart = from;
    Instant rangeEnd = to;
    return readProbes
        .flatMap(
            ignored ->
                Uni.combine()
                    .all()
                    .unis(
                        evidence.errorRateMinutes(null, rangeStart, rangeEnd),
                        exclusions.overlapping(null, rangeStart, rangeEnd),
                        maintenance.forAllWorkspaces(rangeStart, rangeEnd))
                    .asTuple())
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .invoke(
            t ->
                publish(workspaces, months, probes, t.getItem1(), t.getItem2(), t.getItem3(), asOf))
        .flatMap(t -> countPlatformMinutes(asOf, t.getItem2(), t.getItem3().windows()));
  }

  private void publish(
      List<WorkspaceRecord> workspaces,
      Map<ZoneId, YearMonth> months,
      Map<ZoneId, ProbeFacts> probes,
      Map<UUID, List<RequestMinute>> errorRates,
      List<StoredExclusion> allExclusions,
      WindowsForAll windows,
      Instant asOf) {
    List<Exclusion> everyone = new ArrayList<>();
    Map<UUID, List<Exclusion>> own = new HashMap<>();
    for (StoredExclusion e : allExclusions) {
      if (e.workspaceId() == null) {
        everyone.add(ReportService.exclusion(e));
      } else {
        own.computeIfAbsent(e.workspaceId(), id -> new ArrayList<>())
            .add(ReportService.exclusion(e));
      }
    }
    Map<Standing, Long> counts = new EnumMap<>(Standing.class);
    Set<UUID> shown = new HashSet<>();
    Set<UUID> always = config.metrics().workspaces().orElse(Set.of());
    for (WorkspaceRecord ws : workspaces) {
      List<Exclusion> workspaceExclusions = new ArrayList<>(everyone);
      workspaceExclusions.addAll(own.getOrDefault(ws.id(), List.of()));
      ProbeFacts facts = probes.get(ws.zone());
      // The request counts inside probe gaps only tell "no data" from "available": both count as
      // available, so the figures published here do not need them.
      MonthReport report =
          SparseMonthEvaluator.evaluate(
                  new MonthFacts(
                      months.get(ws.zone()),
                      ws.zone(),
                      facts.failed(),
                      facts.gaps(),
                      errorRates.getOrDefault(ws.id(), List.of()),
                      List.of(),
                      windows.of(ws.id()).stream().map(ReportService::window).toList(),
                      workspaceExclusions,
                      asOf),
                  false)
              .report();
      Standing standing = standing(report);
      counts.merge(standing, 1L, Long::sum);
      if (standing != Standing.MET || always.contains(ws.id())) {
        shown.add(ws.id());
        WorkspaceSeries series = published.computeIfAbsent(ws.id(), this::register);
        series.availabilityMicros.set(
            new BigDecimal(report.availabilityPercent()).movePointRight(6).longValue());
        series.budgetRemaining.set(report.errorBudgetRemainingMinutes());
        series.burnRateMillis.set(Math.round(burnRate(report) * 1000));
      }
    }
    for (Standing standing : Standing.values()) {
      standings.get(standing).set(counts.getOrDefault(standing, 0L));
    }
    published.keySet().stream()
        .filter(id -> !shown.contains(id))
        .toList()
        .forEach(id -> published.remove(id).meters.forEach(registry::remove));
  }

  /**
   * How fast the month burns its budget: unavailable minutes over the minutes the budget allows for
   * the eligible minutes judged so far (1 = the budget lasts exactly the month).
   */
  static double burnRate(MonthReport report) {
    long judged = report.eligibleMinutes() - report.pendingMinutes();
    return judged <= 0 ? 0 : report.unavailableMinutes() * 10_000.0 / judged;
  }

  static Standing standing(MonthReport report) {
    if (report.errorBudgetRemainingMinutes() < 0) {
      return Standing.MISSED;
    }
    return burnRate(report) > 1 ? Standing.AT_RISK : Standing.MET;
  }

  /** Counts the platform's finished minutes since the last refresh by what the probes say. */
  private Uni<Void> countPlatformMinutes(
      Instant asOf, List<StoredExclusion> allExclusions, List<StoredWindow> windows) {
    Instant earliest = asOf.minus(MAX_BACKLOG);
    Instant from = countedUntil != null ? countedUntil : asOf.minus(Duration.ofMinutes(1));
    Instant start = from.isBefore(earliest) ? earliest : from;
    if (!start.isBefore(asOf)) {
      return Uni.createFrom().voidItem();
    }
    return timeline
        .states(start, asOf)
        .invoke(
            states -> {
              for (int i = 0; i < states.size(); i++) {
                Instant minute = start.plus(Duration.ofMinutes(i));
                boolean excluded =
                    windows.stream().anyMatch(w -> covers(w.start(), w.end(), minute))
                        || allExclusions.stream()
                            .anyMatch(
                                e -> e.workspaceId() == null && covers(e.start(), e.end(), minute));
                (excluded ? excludedMinutes : platformMinutes.get(states.get(i))).increment();
              }
              countedUntil = asOf;
            })
        .replaceWithVoid();
  }

  private static boolean covers(Instant start, Instant end, Instant minute) {
    return start.isBefore(minute.plusSeconds(60)) && end.isAfter(minute);
  }

  private Counter minutes(String verdict) {
    return Counter.builder("tributary.sla.minutes")
        .description("The platform's finished minutes by what its probes judged (per-minute basis)")
        .tag("verdict", verdict)
        .register(registry);
  }

  private WorkspaceSeries register(UUID workspaceId) {
    WorkspaceSeries s = new WorkspaceSeries();
    String workspace = workspaceId.toString();
    s.meters.add(
        Gauge.builder(
                "tributary.sla.availability.percent", s.availabilityMicros, v -> v.get() / 1e6)
            .description("Availability of the current month so far, in percent (at-risk only)")
            .tag("workspace", workspace)
            .register(registry));
    s.meters.add(
        Gauge.builder(
                "tributary.sla.error.budget.remaining.minutes", s.budgetRemaining, AtomicLong::get)
            .description("Unavailable minutes the current month can still take and meet 99.99%")
            .tag("workspace", workspace)
            .register(registry));
    s.meters.add(
        Gauge.builder("tributary.sla.error.budget.burn.rate", s.burnRateMillis, v -> v.get() / 1e3)
            .description("Error budget burn rate of the month so far (1 = lasts the month)")
            .tag("workspace", workspace)
            .register(registry));
    return s;
  }
}
