package dev.tributary.sla.service;

import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.evaluation.MinuteVerdict;
import dev.tributary.sla.evaluation.MonthEvaluation;
import dev.tributary.sla.evaluation.ProbeMinute;
import dev.tributary.sla.evaluation.Verdict;
import dev.tributary.sla.repository.EvidenceRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SLA in Prometheus, refreshed every minute from the same evaluation as the reports:
 *
 * <ul>
 *   <li>{@code tributary_sla_availability_percent{workspace}} and {@code
 *       tributary_sla_error_budget_remaining_minutes{workspace}}: the current month so far;
 *   <li>{@code tributary_sla_minutes_total{workspace,verdict}}: one increment per finished minute,
 *       the error ratio the burn-rate alerts of {@code k8s/sla-evaluator-prometheusrule.yaml} use.
 * </ul>
 *
 * A minute is counted once it is {@link #SETTLE} old (its request statistics have been copied).
 */
@ApplicationScoped
public class SlaMetrics {

  static final Duration SETTLE = Duration.ofMinutes(2);

  private final WorkspaceDirectory directory;
  private final ReportService reportService;
  private final EvidenceRepository evidence;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<UUID, WorkspaceGauges> gauges = new ConcurrentHashMap<>();

  /** The gauges' values of one workspace and the last minute counted for it. */
  private static final class WorkspaceGauges {
    final AtomicLong availabilityMicros = new AtomicLong(100_000_000);
    final AtomicLong budgetRemaining = new AtomicLong();
    volatile Instant countedUntil;
  }

  SlaMetrics(
      WorkspaceDirectory directory,
      ReportService reportService,
      EvidenceRepository evidence,
      MeterRegistry registry,
      Clock clock) {
    this.directory = directory;
    this.reportService = reportService;
    this.evidence = evidence;
    this.registry = registry;
    this.clock = clock;
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

  /** Evaluates every workspace's current month and updates the gauges and minute counters. */
  public Uni<Void> refresh() {
    Instant asOf = clock.instant().minus(SETTLE).truncatedTo(ChronoUnit.MINUTES);
    // The probe evidence is the same for every workspace: read it once per month and time zone.
    Map<String, Uni<List<ProbeMinute>>> probes = new HashMap<>();
    return directory
        .all()
        .flatMap(
            workspaces ->
                Multi.createFrom()
                    .iterable(workspaces)
                    .onItem()
                    .transformToUniAndConcatenate(
                        ws -> {
                          YearMonth month = YearMonth.from(asOf.atZone(ws.zone()));
                          Uni<List<ProbeMinute>> monthProbes =
                              probes.computeIfAbsent(
                                  month + " " + ws.zone().getId(),
                                  key ->
                                      evidence
                                          .probeMinutes(
                                              ReportService.monthStart(month, ws.zone()),
                                              ReportService.monthStart(
                                                  month.plusMonths(1), ws.zone()))
                                          .memoize()
                                          .indefinitely());
                          return monthProbes
                              .flatMap(p -> reportService.evaluate(ws, month, asOf, p))
                              .invoke(e -> record(ws.id(), e, asOf));
                        })
                    .collect()
                    .asList()
                    .replaceWithVoid());
  }

  private void record(UUID workspaceId, MonthEvaluation evaluation, Instant asOf) {
    WorkspaceGauges g = gauges.computeIfAbsent(workspaceId, this::register);
    g.availabilityMicros.set(
        new BigDecimal(evaluation.report().availabilityPercent()).movePointRight(6).longValue());
    g.budgetRemaining.set(evaluation.report().errorBudgetRemainingMinutes());
    Instant from = g.countedUntil != null ? g.countedUntil : asOf.minus(Duration.ofMinutes(1));
    for (MinuteVerdict m : evaluation.ledger()) {
      if (!m.minute().isBefore(from)
          && m.minute().isBefore(asOf)
          && m.verdict() != Verdict.PENDING) {
        minutes(workspaceId, m.verdict()).increment();
      }
    }
    g.countedUntil = asOf;
  }

  private Counter minutes(UUID workspaceId, Verdict verdict) {
    return Counter.builder("tributary.sla.minutes")
        .description("Finished minutes per workspace and verdict (the SLA's per-minute basis)")
        .tags(
            "workspace", workspaceId.toString(), "verdict", verdict.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }

  private WorkspaceGauges register(UUID workspaceId) {
    WorkspaceGauges g = new WorkspaceGauges();
    // Every verdict's series exists from the start at 0, so rate() sees the first bad minute.
    for (Verdict verdict : Verdict.values()) {
      if (verdict != Verdict.PENDING) {
        minutes(workspaceId, verdict);
      }
    }
    Gauge.builder("tributary.sla.availability.percent", g.availabilityMicros, v -> v.get() / 1e6)
        .description("Availability of the current month so far, in percent")
        .tag("workspace", workspaceId.toString())
        .register(registry);
    Gauge.builder(
            "tributary.sla.error.budget.remaining.minutes", g.budgetRemaining, AtomicLong::get)
        .description("Unavailable minutes the current month can still take and meet 99.99%")
        .tag("workspace", workspaceId.toString())
        .register(registry);
    return g;
  }
}
