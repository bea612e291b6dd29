package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a month's evaluation counts on its way through the minutes, and the report it makes of them.
 * Both evaluators fill one: {@link MonthEvaluator} minute by minute, {@link SparseMonthEvaluator}
 * run by run, so the report is assembled once.
 */
final class MonthTally {

  final YearMonth month;
  final ZoneId zone;
  final Instant periodStart;
  final Instant periodEnd;
  final MinuteAxis axis;
  final List<MaintenanceWindow> windows;
  final boolean[] qualifies;
  final List<Exclusion> exclusions;

  final long[] windowExcluded;
  final long[] windowOverCap;
  final long[] exclusionExcluded;
  final SortedMap<String, Long> excludedByCategory = new TreeMap<>();
  final List<UnavailableMinute> unavailable = new ArrayList<>();
  long maintenanceExcluded;
  long overCap;
  long noData;
  long pending;

  /**
   * A tally of {@code month} in {@code zone} with the windows and exclusions touching it, in
   * evaluation order (by start, then id), and which windows' notices qualify (SLA §3).
   */
  MonthTally(
      YearMonth month,
      ZoneId zone,
      List<MaintenanceWindow> allWindows,
      List<Exclusion> allExclusions) {
    this.month = month;
    this.zone = zone;
    this.periodStart = month.atDay(1).atStartOfDay(zone).toInstant();
    this.periodEnd = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    this.axis = new MinuteAxis(periodStart, periodEnd);
    this.windows =
        allWindows.stream()
            .filter(w -> axis.endBefore(w.end()) > axis.firstTouched(w.start()))
            .sorted(MonthEvaluator.WINDOW_ORDER)
            .toList();
    this.qualifies = new boolean[windows.size()];
    for (int w = 0; w < windows.size(); w++) {
      qualifies[w] = MonthEvaluator.noticeQualifies(windows.get(w));
    }
    this.exclusions =
        allExclusions.stream()
            .filter(e -> axis.endBefore(e.end()) > axis.firstTouched(e.start()))
            .sorted(MonthEvaluator.EXCLUSION_ORDER)
            .toList();
    this.windowExcluded = new long[windows.size()];
    this.windowOverCap = new long[windows.size()];
    this.exclusionExcluded = new long[exclusions.size()];
  }

  /** The first minute of the axis the instant {@code asOf} has not finished: later ones pend. */
  int pendingFrom(Instant asOf) {
    return asOf == null ? axis.size() : axis.firstTouched(asOf);
  }

  /** Counts {@code minutes} minutes of one verdict (an unavailable minute is added on its own). */
  void count(Verdict verdict, String reason, long minutes) {
    switch (verdict) {
      case EXCLUDED -> excludedByCategory.merge(reason, minutes, Long::sum);
      case NO_DATA -> noData += minutes;
      case PENDING -> pending += minutes;
      default -> {}
    }
  }

  MonthReport report() {
    int size = axis.size();
    long excluded = excludedByCategory.values().stream().mapToLong(Long::longValue).sum();
    long eligible = size - excluded;
    long unavailableCount = unavailable.size();
    long available = eligible - unavailableCount;
    long errorBudget = eligible / MonthEvaluator.TARGET_DENOMINATOR;

    List<MaintenanceWindowOutcome> windowOutcomes = new ArrayList<>();
    List<Flag> flags = new ArrayList<>();
    for (int w = 0; w < windows.size(); w++) {
      MaintenanceWindowOutcome outcome =
          MonthEvaluator.windowOutcome(
              axis, windows.get(w), qualifies[w], windowExcluded[w], windowOverCap[w]);
      windowOutcomes.add(outcome);
      flags.addAll(MonthEvaluator.flags(outcome));
    }
    List<ExclusionOutcome> exclusionOutcomes = new ArrayList<>();
    for (int e = 0; e < exclusions.size(); e++) {
      Exclusion exclusion = exclusions.get(e);
      exclusionOutcomes.add(
          new ExclusionOutcome(
              exclusion.id(),
              exclusion.start(),
              exclusion.end(),
              exclusion.category().name(),
              exclusion.reason(),
              exclusion.declaredBy(),
              exclusionExcluded[e]));
    }
    return new MonthReport(
        month.toString(),
        zone.getId(),
        periodStart,
        periodEnd,
        size,
        excluded,
        Collections.unmodifiableSortedMap(new TreeMap<>(excludedByCategory)),
        maintenanceExcluded,
        overCap,
        noData,
        pending,
        unavailableCount,
        eligible,
        available,
        MonthEvaluator.availabilityPercent(available, eligible),
        MonthEvaluator.TARGET_PERCENT,
        unavailableCount * MonthEvaluator.TARGET_DENOMINATOR <= eligible,
        pending == 0,
        errorBudget,
        errorBudget - unavailableCount,
        List.copyOf(flags),
        List.copyOf(windowOutcomes),
        List.copyOf(exclusionOutcomes),
        List.copyOf(unavailable));
  }
}
