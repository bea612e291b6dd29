package dev.tributary.sla.rest;

import dev.tributary.sla.evaluation.Exclusion;
import dev.tributary.sla.evaluation.ExclusionCategory;
import dev.tributary.sla.evaluation.MaintenanceWindow;
import dev.tributary.sla.evaluation.MonthEvaluator;
import dev.tributary.sla.evaluation.MonthEvidence;
import dev.tributary.sla.evaluation.MonthOutcome;
import dev.tributary.sla.evaluation.MonthReport;
import dev.tributary.sla.evaluation.ProbeMinute;
import dev.tributary.sla.evaluation.ProbeResult;
import dev.tributary.sla.evaluation.RequestMinute;
import dev.tributary.sla.evaluation.TerminationRightEvaluator;
import dev.tributary.sla.evaluation.TerminationRightStatus;
import dev.tributary.sla.service.Prober;
import dev.tributary.support.ApiException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The pure calculation, exposed so customers, auditors and planners can recompute a month from
 * evidence they hold, or ask "what if". Nothing is read from or written to the database; the stored
 * reports are computed by the same {@link MonthEvaluator}.
 */
@Path("/v1")
@Tag(name = "Evaluations")
@SecurityRequirement(name = "SecurityScheme")
public class EvaluationResource {

  static final int MAX_ITEMS = 500_000;

  public record ProbeInput(Instant at, String endpoint, Boolean ok) {}

  public record RequestStatsInput(
      Instant minute, Long requests, Long failed5xx, Long rejected4xx, Long throttled429) {}

  public record WindowInput(Instant start, Instant end, Instant noticeSentAt, String description) {}

  public record ExclusionInput(Instant start, Instant end, String category, String reason) {}

  /** Evidence for one workspace's month; {@code asOf} marks the minutes still to come. */
  public record EvaluationRequest(
      String month,
      String timeZone,
      List<ProbeInput> probeResults,
      List<RequestStatsInput> requestStats,
      List<WindowInput> maintenanceWindows,
      List<ExclusionInput> exclusions,
      Instant asOf) {}

  public record MonthOutcomeInput(String month, Boolean targetMet, Instant noticeSentAt) {}

  public record TerminationRightRequest(
      List<MonthOutcomeInput> months, Instant asOf, Instant exercisedAt, String timeZone) {}

  private final Clock clock;

  public EvaluationResource(Clock clock) {
    this.clock = clock;
  }

  @POST
  @Path("/evaluations")
  @Blocking
  @Operation(
      summary = "Compute a month's availability report from the evidence given",
      description =
          "Months are calendar months in timeZone (default UTC). Overlapping maintenance windows,"
              + " unknown categories, end before start, unknown endpoints and instants outside the"
              + " years 1986 to 9999 are refused with 422.")
  public MonthReport evaluate(EvaluationRequest request) {
    if (request == null) {
      throw ApiException.unprocessable("missing_body", "send the evidence as a JSON object");
    }
    YearMonth month = Errors.month(request.month());
    ZoneId zone = Errors.zone(request.timeZone());
    Errors errors = new Errors();
    List<ProbeInput> probes = orEmpty(request.probeResults());
    List<RequestStatsInput> stats = orEmpty(request.requestStats());
    List<WindowInput> windows = orEmpty(request.maintenanceWindows());
    List<ExclusionInput> exclusions = orEmpty(request.exclusions());
    if (probes.size() + stats.size() > MAX_ITEMS) {
      throw ApiException.unprocessable(
          "too_much_evidence", "at most " + MAX_ITEMS + " probe results and statistics together");
    }
    List<ProbeResult> probeResults = new ArrayList<>(probes.size());
    for (int i = 0; i < probes.size(); i++) {
      ProbeInput p = probes.get(i);
      String at = "probeResults[" + i + "].";
      errors.require(p.at(), at + "at");
      errors.inRange(p.at(), at + "at");
      errors.require(p.ok(), at + "ok");
      if (p.endpoint() == null || !Prober.ENDPOINTS.contains(p.endpoint())) {
        errors.add("unknown_endpoint", at + "endpoint must be one of " + Prober.ENDPOINTS);
      } else if (p.at() != null && p.ok() != null) {
        probeResults.add(new ProbeResult(p.at(), p.endpoint(), p.ok()));
      }
    }
    List<RequestMinute> requestMinutes = new ArrayList<>(stats.size());
    for (int i = 0; i < stats.size(); i++) {
      RequestStatsInput s = stats.get(i);
      String at = "requestStats[" + i + "].";
      errors.require(s.minute(), at + "minute");
      errors.inRange(s.minute(), at + "minute");
      errors.require(s.requests(), at + "requests");
      errors.require(s.failed5xx(), at + "failed5xx");
      long requests = s.requests() == null ? 0 : s.requests();
      long failed = s.failed5xx() == null ? 0 : s.failed5xx();
      long rejected = s.rejected4xx() == null ? 0 : s.rejected4xx();
      long throttled = s.throttled429() == null ? 0 : s.throttled429();
      if (requests < 0 || failed < 0 || rejected < 0 || throttled < 0) {
        errors.add("negative_count", at + "counts must not be negative");
      } else if (failed + rejected + throttled > requests) {
        errors.add("inconsistent_counts", at + "failed5xx + rejected4xx + throttled429 > requests");
      }
      if (s.minute() != null) {
        requestMinutes.add(
            new RequestMinute(
                s.minute().truncatedTo(ChronoUnit.MINUTES), requests, rejected, throttled, failed));
      }
    }
    List<MaintenanceWindow> maintenance = new ArrayList<>(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      WindowInput w = windows.get(i);
      errors.range(w.start(), w.end(), "maintenanceWindows[" + i + "].");
      errors.inRange(w.noticeSentAt(), "maintenanceWindows[" + i + "].noticeSentAt");
      maintenance.add(
          new MaintenanceWindow(
              "window-" + (i + 1), w.start(), w.end(), w.noticeSentAt(), w.description()));
    }
    rejectOverlaps(maintenance, errors);
    errors.inRange(request.asOf(), "asOf");
    List<Exclusion> declared = new ArrayList<>(exclusions.size());
    for (int i = 0; i < exclusions.size(); i++) {
      ExclusionInput e = exclusions.get(i);
      String at = "exclusions[" + i + "].";
      errors.range(e.start(), e.end(), at);
      errors.require(e.reason(), at + "reason");
      ExclusionCategory category = category(e.category(), at, errors);
      if (category != null) {
        declared.add(
            new Exclusion("exclusion-" + (i + 1), e.start(), e.end(), category, e.reason(), null));
      }
    }
    errors.throwIfAny();
    return MonthEvaluator.evaluate(
            new MonthEvidence(
                month,
                zone,
                ProbeMinute.fromResults(probeResults),
                requestMinutes,
                maintenance,
                declared,
                request.asOf()))
        .report();
  }

  @POST
  @Path("/termination-right/evaluations")
  @Operation(
      summary = "The Special Termination Right's status as of an instant, from month outcomes",
      description =
          "months: closed months with targetMet and when the customer was sent the SLA miss"
              + " notice. asOf defaults to now, timeZone (for the 30 days) to UTC.")
  public TerminationRightStatus terminationRight(TerminationRightRequest request) {
    if (request == null || request.months() == null) {
      throw ApiException.unprocessable("missing_field", "months is required");
    }
    Errors errors = new Errors();
    Set<YearMonth> seen = new HashSet<>();
    List<MonthOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < request.months().size(); i++) {
      MonthOutcomeInput m = request.months().get(i);
      String at = "months[" + i + "].";
      if (m == null) {
        errors.add("missing_field", "months[" + i + "] is null");
        continue;
      }
      errors.require(m.targetMet(), at + "targetMet");
      errors.inRange(m.noticeSentAt(), at + "noticeSentAt");
      YearMonth month = Errors.month(m.month());
      if (!seen.add(month)) {
        errors.add("duplicate_month", at + "month " + month + " is given twice");
      }
      if (m.targetMet() != null) {
        outcomes.add(new MonthOutcome(month, m.targetMet(), m.noticeSentAt()));
      }
    }
    errors.inRange(request.asOf(), "asOf");
    errors.inRange(request.exercisedAt(), "exercisedAt");
    errors.throwIfAny();
    Instant asOf = request.asOf() != null ? request.asOf() : clock.instant();
    return TerminationRightEvaluator.evaluate(
        outcomes, asOf, request.exercisedAt(), Errors.zone(request.timeZone()));
  }

  static ExclusionCategory category(String value, String at, Errors errors) {
    if (value == null) {
      errors.add("missing_field", at + "category is required");
      return null;
    }
    try {
      return ExclusionCategory.valueOf(value);
    } catch (IllegalArgumentException e) {
      errors.add(
          "unknown_category",
          at + "category must be one of " + Arrays.toString(ExclusionCategory.values()));
      return null;
    }
  }

  private static void rejectOverlaps(List<MaintenanceWindow> windows, Errors errors) {
    List<MaintenanceWindow> sorted =
        windows.stream()
            .filter(w -> w.start() != null && w.end() != null)
            .sorted(Comparator.comparing(MaintenanceWindow::start))
            .toList();
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).start().isBefore(sorted.get(i - 1).end())) {
        errors.add(
            "overlapping_maintenance_windows",
            sorted.get(i - 1).id() + " and " + sorted.get(i).id() + " overlap");
      }
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list.stream().filter(x -> x != null).toList();
  }
}
