package dev.tributary.sla.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.sla.client.IngestionApi;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.client.WorkspaceRecord;
import dev.tributary.sla.evaluation.Exclusion;
import dev.tributary.sla.evaluation.ExclusionCategory;
import dev.tributary.sla.evaluation.Ledger;
import dev.tributary.sla.evaluation.MaintenanceWindow;
import dev.tributary.sla.evaluation.MinuteVerdict;
import dev.tributary.sla.evaluation.MonthFacts;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.evaluation.SparseMonthEvaluator;
import dev.tributary.sla.evaluation.SparseMonthEvaluator.Result;
import dev.tributary.sla.evaluation.Verdict;
import dev.tributary.sla.repository.EvidenceRepository;
import dev.tributary.sla.repository.EvidenceRepository.MinuteEvidence;
import dev.tributary.sla.repository.ExclusionRepository;
import dev.tributary.sla.repository.ExclusionRepository.StoredExclusion;
import dev.tributary.sla.repository.MaintenanceRepository;
import dev.tributary.sla.repository.MaintenanceRepository.WorkspaceWindow;
import dev.tributary.sla.repository.ReportRepository;
import dev.tributary.sla.repository.ReportRepository.FrozenReport;
import dev.tributary.support.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A workspace's months: assembles the evidence (the platform's probes from the {@link
 * ProbeTimeline}, the workspace's own from PostgreSQL), runs the pure {@link SparseMonthEvaluator}
 * on a worker thread (never on the event loop), freezes closed months and applies explicit
 * corrections.
 */
@ApplicationScoped
public class ReportService {

  /** The longest range the per-minute ledger answers at once (a week). */
  public static final Duration MAX_LEDGER_RANGE = Duration.ofDays(7);

  /** A report with its workspace and whether it is frozen. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReportView(
      UUID workspaceId,
      boolean frozen,
      Instant frozenAt,
      Integer revision,
      UUID slaMissNoticeId,
      Instant slaMissNoticeSentAt,
      @JsonUnwrapped MonthReport report) {}

  /** One minute of the audit trail: the verdict, its reason, and what was measured. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MinuteRow(
      Instant minute,
      Verdict verdict,
      String reason,
      String detail,
      int probesOk,
      int probesFailed,
      long requests,
      long validRequests,
      long failed5xx) {}

  private static final TypeReference<List<Ledger.Run>> RUNS = new TypeReference<>() {};

  private final WorkspaceDirectory directory;
  private final ProbeTimeline timeline;
  private final EvidenceRepository evidence;
  private final MaintenanceRepository maintenance;
  private final ExclusionRepository exclusions;
  private final ReportRepository reports;
  private final ObjectMapper json;
  private final Clock clock;

  ReportService(
      WorkspaceDirectory directory,
      ProbeTimeline timeline,
      EvidenceRepository evidence,
      MaintenanceRepository maintenance,
      ExclusionRepository exclusions,
      ReportRepository reports,
      ObjectMapper json,
      Clock clock) {
    this.directory = directory;
    this.timeline = timeline;
    this.evidence = evidence;
    this.maintenance = maintenance;
    this.exclusions = exclusions;
    this.reports = reports;
    this.json = json;
    this.clock = clock;
  }

  /** The first instant of {@code month} in {@code zone}. */
  public static Instant monthStart(YearMonth month, ZoneId zone) {
    return month.atDay(1).atStartOfDay(zone).toInstant();
  }

  /** The workspace, or 404. */
  public Uni<WorkspaceRecord> workspace(UUID workspaceId) {
    return directory
        .find(workspaceId)
        .onFailure()
        .transform(IngestionApi::unavailable)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("workspace " + workspaceId)));
  }

  /** A month's report: the frozen one once the month is closed, else computed now. */
  public Uni<ReportView> report(UUID workspaceId, YearMonth month) {
    return workspace(workspaceId)
        .flatMap(
            ws -> {
              YearMonth current = YearMonth.from(clock.instant().atZone(ws.zone()));
              if (month.isAfter(current)) {
                throw ApiException.unprocessable(
                    "month_not_started", month + " has not started in " + ws.zone());
              }
              if (ws.createdAt() != null
                  && month.isBefore(YearMonth.from(ws.createdAt().atZone(ws.zone())))) {
                throw ApiException.unprocessable(
                    "month_before_workspace", "the workspace did not exist in " + month);
              }
              return reports
                  .find(workspaceId, month)
                  .flatMap(
                      frozen ->
                          frozen.isPresent()
                              ? Uni.createFrom().item(frozenView(frozen.get()))
                              : evaluate(ws, month, clock.instant())
                                  .map(
                                      e ->
                                          new ReportView(
                                              workspaceId,
                                              false,
                                              null,
                                              null,
                                              null,
                                              null,
                                              e.report())));
            });
  }

  /** The per-minute ledger in {@code [from, to)} (frozen months from their frozen ledger). */
  public Uni<List<MinuteRow>> minutes(UUID workspaceId, Instant from, Instant to) {
    Instant start = from.truncatedTo(ChronoUnit.MINUTES);
    Instant end = to.truncatedTo(ChronoUnit.MINUTES);
    if (!start.isBefore(end)) {
      throw ApiException.badRequest("invalid_range", "from must be at least a minute before to");
    }
    if (Duration.between(start, end).compareTo(MAX_LEDGER_RANGE) > 0) {
      throw ApiException.badRequest(
          "range_too_large", "ask for at most 7 days (10,080 minutes) at a time");
    }
    return workspace(workspaceId)
        .flatMap(
            ws -> {
              ZoneId zone = ws.zone();
              List<YearMonth> months = new ArrayList<>();
              for (YearMonth m = YearMonth.from(start.atZone(zone));
                  !monthStart(m, zone).isAfter(end.minusSeconds(60));
                  m = m.plusMonths(1)) {
                months.add(m);
              }
              Instant now = clock.instant();
              return Multi.createFrom()
                  .iterable(months)
                  .onItem()
                  .transformToUniAndConcatenate(m -> ledger(ws, m, now, start, end))
                  .collect()
                  .asList()
                  .map(lists -> lists.stream().flatMap(List::stream).toList())
                  .flatMap(
                      verdicts ->
                          evidence
                              .minuteEvidence(workspaceId, start, end)
                              .map(measured -> rows(verdicts, measured)));
            });
  }

  /**
   * Evaluates a month now from the stored evidence; {@code asOf} marks the minutes still to come.
   * Reads only what is not ordinary in the month (see {@link SparseMonthEvaluator}).
   */
  public Uni<Result> evaluate(WorkspaceRecord ws, YearMonth month, Instant asOf) {
    ZoneId zone = ws.zone();
    Instant from = monthStart(month, zone);
    Instant to = monthStart(month.plusMonths(1), zone);
    return timeline
        .facts(from, to, asOf)
        .flatMap(
            probes ->
                Uni.combine()
                    .all()
                    .unis(
                        evidence.errorRateMinutes(ws.id(), from, to),
                        evidence.requestMinutesIn(ws.id(), probes.gaps()),
                        maintenance.forWorkspace(ws.id(), from, to),
                        exclusions.overlapping(ws.id(), from, to))
                    .asTuple()
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(
                        t ->
                            SparseMonthEvaluator.evaluate(
                                new MonthFacts(
                                    month,
                                    zone,
                                    probes.failed(),
                                    probes.gaps(),
                                    t.getItem1().getOrDefault(ws.id(), List.of()),
                                    t.getItem2(),
                                    t.getItem3().stream().map(ReportService::window).toList(),
                                    exclusions(ws, t.getItem4(), to),
                                    asOf.isBefore(to) ? asOf : null))));
  }

  /** A stored window as the evaluation reads it, with the workspace's notice time. */
  static MaintenanceWindow window(WorkspaceWindow w) {
    return new MaintenanceWindow(
        w.window().id().toString(),
        w.window().start(),
        w.window().end(),
        w.noticeSentAt(),
        w.window().description());
  }

  /**
   * The declared exclusions and the workspace's suspensions. SLA §2(a): unavailability caused by
   * "Customer's use of the Segment Services in a manner not authorized in the Agreement" is
   * excluded, and a suspension (Terms of Service §2.3) is the provider's answer to such use, so its
   * minutes are UNAUTHORIZED_USE; a suspension still in effect is excluded to {@code to}.
   */
  static List<Exclusion> exclusions(
      WorkspaceRecord ws, List<StoredExclusion> declared, Instant to) {
    List<Exclusion> all = new ArrayList<>(declared.stream().map(ReportService::exclusion).toList());
    for (WorkspaceRecord.SuspendedPeriod s : ws.suspensions()) {
      Instant end = s.end() == null || s.end().isAfter(to) ? to : s.end();
      if (s.start() != null && end.isAfter(s.start())) {
        all.add(
            new Exclusion(
                "suspension-" + s.suspensionId(),
                s.start(),
                end,
                ExclusionCategory.UNAUTHORIZED_USE,
                "workspace suspended (Terms of Service §2.3): " + s.reason(),
                "ingestion-api (suspension)"));
      }
    }
    return all;
  }

  /** A stored exclusion as the evaluation reads it. */
  static Exclusion exclusion(StoredExclusion e) {
    return new Exclusion(
        e.id().toString(),
        e.start(),
        e.end(),
        ExclusionCategory.valueOf(e.category()),
        e.reason(),
        e.declaredBy());
  }

  /**
   * Evaluates a closed month and freezes it. Answers the frozen report, or empty when another
   * replica froze it first.
   */
  public Uni<Optional<MonthReport>> freeze(WorkspaceRecord ws, YearMonth month) {
    return evaluate(ws, month, clock.instant())
        .flatMap(
            e ->
                reports
                    .freeze(
                        ws.id(),
                        month,
                        ws.zone().getId(),
                        write(e.report()),
                        write(e.ledger()),
                        e.report().targetMet(),
                        clock.instant())
                    .map(
                        stored -> {
                          if (stored && !e.report().targetMet()) {
                            Log.infof(
                                "froze %s of workspace %s: %s%% available, target MISSED",
                                month, ws.id(), e.report().availabilityPercent());
                          } else if (stored) {
                            Log.debugf(
                                "froze %s of workspace %s: %s%% available, target met",
                                month, ws.id(), e.report().availabilityPercent());
                          }
                          return stored ? Optional.of(e.report()) : Optional.<MonthReport>empty();
                        }));
  }

  /**
   * Recomputes a frozen month from today's evidence (an exclusion declared late, backfilled probe
   * results): the previous version is kept with the reason and who asked, and the change logged.
   */
  public Uni<ReportView> correct(
      UUID workspaceId, YearMonth month, String reason, String requestedBy) {
    return workspace(workspaceId)
        .flatMap(
            ws ->
                reports
                    .find(workspaceId, month)
                    .flatMap(
                        frozen -> {
                          if (frozen.isEmpty()) {
                            throw new ApiException(
                                409,
                                "report_not_frozen",
                                month
                                    + " is not closed yet; its report is computed live and needs"
                                    + " no correction");
                          }
                          MonthReport before = read(frozen.get().reportJson());
                          return evaluate(ws, month, clock.instant())
                              .flatMap(
                                  e ->
                                      reports
                                          .correct(
                                              workspaceId,
                                              month,
                                              write(e.report()),
                                              write(e.ledger()),
                                              e.report().targetMet(),
                                              reason,
                                              requestedBy,
                                              clock.instant())
                                          .invoke(
                                              revision ->
                                                  Log.warnf(
                                                      "report %s of workspace %s corrected to"
                                                          + " revision %d by %s (%s):"
                                                          + " availability %s%% -> %s%%",
                                                      month,
                                                      workspaceId,
                                                      revision,
                                                      requestedBy,
                                                      reason,
                                                      before.availabilityPercent(),
                                                      e.report().availabilityPercent())));
                        })
                    .flatMap(ignored -> reports.find(workspaceId, month))
                    .map(frozen -> frozenView(frozen.orElseThrow())));
  }

  private Uni<List<MinuteVerdict>> ledger(
      WorkspaceRecord ws, YearMonth month, Instant now, Instant from, Instant to) {
    return reports
        .find(ws.id(), month)
        .flatMap(
            frozen ->
                frozen.isPresent()
                    ? Uni.createFrom()
                        .item(Ledger.expand(readRuns(frozen.get().ledgerJson()), from, to))
                    : evaluate(ws, month, now).map(e -> Ledger.expand(e.ledger(), from, to)));
  }

  private static List<MinuteRow> rows(
      List<MinuteVerdict> verdicts, Map<Instant, MinuteEvidence> measured) {
    List<MinuteRow> rows = new ArrayList<>(verdicts.size());
    for (MinuteVerdict v : verdicts) {
      MinuteEvidence m = measured.getOrDefault(v.minute(), new MinuteEvidence(0, 0, 0, 0, 0));
      rows.add(
          new MinuteRow(
              v.minute(),
              v.verdict(),
              v.reason(),
              v.detail(),
              m.probesOk(),
              m.probesFailed(),
              m.requests(),
              m.validRequests(),
              m.failed5xx()));
    }
    return rows;
  }

  ReportView frozenView(FrozenReport frozen) {
    return new ReportView(
        frozen.workspaceId(),
        true,
        frozen.frozenAt(),
        frozen.revision(),
        frozen.slaMissNoticeId(),
        frozen.slaMissNoticeSentAt(),
        read(frozen.reportJson()));
  }

  MonthReport read(String reportJson) {
    try {
      return json.readValue(reportJson, MonthReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a frozen report cannot be read", e);
    }
  }

  List<Ledger.Run> readRuns(String ledgerJson) {
    try {
      return json.readValue(ledgerJson, RUNS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a frozen ledger cannot be read", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
