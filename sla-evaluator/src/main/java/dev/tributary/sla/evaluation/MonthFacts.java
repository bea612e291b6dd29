package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One workspace's month as {@link SparseMonthEvaluator} reads it: only what is not ordinary. Every
 * minute that is not in a {@code probeGap} had probe results; of those, only the minutes in which
 * some endpoint failed every call are listed. Of the request counts, only the minutes that reached
 * the SLA §1 error rate, and which minutes inside the gaps had any counts at all (they are
 * available, not "no data"). asOf nullable: null = the whole month is past.
 *
 * <p>The gaps need only cover the minutes before {@code asOf}: later ones are pending anyway.
 */
public record MonthFacts(
    YearMonth month,
    ZoneId timeZone,
    List<ProbeMinute> failedProbes,
    List<ProbeGap> probeGaps,
    List<RequestMinute> errorRateMinutes,
    List<Instant> requestMinutesInGaps,
    List<MaintenanceWindow> maintenanceWindows,
    List<Exclusion> exclusions,
    Instant asOf) {

  /** Requires the month and zone, copies the lists and sorts them chronologically. */
  public MonthFacts {
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(timeZone, "timeZone");
    failedProbes = sorted(failedProbes, Comparator.comparing(ProbeMinute::minute));
    probeGaps = sorted(probeGaps, Comparator.comparing(ProbeGap::start));
    errorRateMinutes = sorted(errorRateMinutes, Comparator.comparing(RequestMinute::minute));
    requestMinutesInGaps = sorted(requestMinutesInGaps, Comparator.naturalOrder());
    maintenanceWindows = List.copyOf(maintenanceWindows);
    exclusions = List.copyOf(exclusions);
  }

  /**
   * The facts of complete evidence (one entry per minute with results or counts, duplicates
   * allowed): how the sparse evaluation is compared with {@link MonthEvaluator}.
   */
  public static MonthFacts of(MonthEvidence evidence) {
    YearMonth month = evidence.month();
    ZoneId zone = evidence.timeZone();
    MinuteAxis axis =
        new MinuteAxis(
            month.atDay(1).atStartOfDay(zone).toInstant(),
            month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
    ProbeMinute[] probes = MonthEvaluator.probesByMinute(axis, evidence.probes());
    RequestMinute[] requests = MonthEvaluator.requestsByMinute(axis, evidence.requests());
    BitSet measured = new BitSet(axis.size());
    List<ProbeMinute> failed = new ArrayList<>();
    List<RequestMinute> errorRate = new ArrayList<>();
    List<Instant> requestsInGaps = new ArrayList<>();
    for (int i = 0; i < axis.size(); i++) {
      if (probes[i] != null) {
        measured.set(i);
        if (!probes[i].failedEndpoints().isEmpty()) {
          failed.add(new ProbeMinute(axis.minute(i), probes[i].failedEndpoints()));
        }
      } else if (requests[i] != null) {
        requestsInGaps.add(axis.minute(i));
      }
      if (requests[i] != null && MonthEvaluator.errorRateReached(requests[i])) {
        errorRate.add(requests[i]);
      }
    }
    List<ProbeGap> gaps = new ArrayList<>();
    for (int i = measured.nextClearBit(0); i < axis.size(); ) {
      int next = measured.nextSetBit(i);
      int end = next < 0 ? axis.size() : next;
      gaps.add(new ProbeGap(axis.minute(i), axis.minute(end), null));
      i = measured.nextClearBit(end);
    }
    return new MonthFacts(
        month,
        zone,
        failed,
        gaps,
        errorRate,
        requestsInGaps,
        evidence.maintenanceWindows(),
        evidence.exclusions(),
        evidence.asOf());
  }

  private static <T> List<T> sorted(List<T> list, Comparator<? super T> order) {
    List<T> copy = new ArrayList<>(list);
    copy.sort(order);
    return List.copyOf(copy);
  }
}
