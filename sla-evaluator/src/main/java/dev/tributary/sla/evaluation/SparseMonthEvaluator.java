package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@link MonthEvaluator}'s rules (SLA §1 to §3) on {@link MonthFacts}: the same report and the same
 * ledger, without one object per minute. Its cost follows what is not ordinary in the month (failed
 * probe minutes, error-rate minutes, probe gaps, windows and exclusions), not the month's 44,640
 * minutes, so it can run for thousands of workspaces every minute. The ledger comes out as {@link
 * Ledger.Run runs}, exactly what {@link Ledger#compress} makes of {@link MonthEvaluator}'s.
 *
 * <p>The month is cut at every boundary of a counted maintenance window, an exclusion and the
 * pending minutes; in each piece one rule decides, in {@link MonthEvaluator}'s order: maintenance
 * within the 300-minute cap, then an exclusion, then pending, then the evidence.
 */
public final class SparseMonthEvaluator {

  /** The report and, when asked for, the ledger as runs of equal minutes. */
  public record Result(MonthReport report, List<Ledger.Run> ledger) {}

  /** Minutes [start, end) of the axis owned by the span at index {@code owner}. */
  private record Owned(int start, int end, int owner) {}

  private SparseMonthEvaluator() {}

  /** The month's report and its ledger. */
  public static Result evaluate(MonthFacts facts) {
    return evaluate(facts, true);
  }

  /**
   * The month's report; {@code withLedger} false leaves the ledger empty (the report alone is what
   * the metrics need).
   */
  public static Result evaluate(MonthFacts facts, boolean withLedger) {
    MonthTally tally =
        new MonthTally(
            facts.month(), facts.timeZone(), facts.maintenanceWindows(), facts.exclusions());
    MinuteAxis axis = tally.axis;
    int size = axis.size();

    List<Owned> maintenance =
        capped(
            tally,
            owned(
                axis,
                tally.windows,
                tally.qualifies,
                MaintenanceWindow::start,
                MaintenanceWindow::end));
    boolean[] allExclusions = new boolean[tally.exclusions.size()];
    Arrays.fill(allExclusions, true);
    List<Owned> excluded =
        owned(axis, tally.exclusions, allExclusions, Exclusion::start, Exclusion::end);
    int pendingFrom = tally.pendingFrom(facts.asOf());

    Judge judge = new Judge(facts, axis, tally, withLedger);
    TreeSet<Integer> cuts = new TreeSet<>(List.of(0, size, Math.min(pendingFrom, size)));
    for (Owned o : maintenance) {
      cuts.add(o.start());
      cuts.add(o.end());
    }
    for (Owned o : excluded) {
      cuts.add(o.start());
      cuts.add(o.end());
    }
    int m = 0;
    int x = 0;
    Integer from = cuts.first();
    for (Integer to : cuts.tailSet(from, false)) {
      while (m < maintenance.size() && maintenance.get(m).end() <= from) {
        m++;
      }
      while (x < excluded.size() && excluded.get(x).end() <= from) {
        x++;
      }
      if (m < maintenance.size() && maintenance.get(m).start() <= from) {
        MaintenanceWindow window = tally.windows.get(maintenance.get(m).owner());
        judge.emit(
            from,
            to,
            Verdict.EXCLUDED,
            MonthEvaluator.SCHEDULED_MAINTENANCE,
            "maintenance window " + window.id());
      } else if (x < excluded.size() && excluded.get(x).start() <= from) {
        int e = excluded.get(x).owner();
        Exclusion exclusion = tally.exclusions.get(e);
        tally.exclusionExcluded[e] += to - from;
        judge.emit(
            from,
            to,
            Verdict.EXCLUDED,
            exclusion.category().name(),
            "exclusion " + exclusion.id() + ": " + exclusion.reason());
      } else if (from >= pendingFrom) {
        judge.emit(from, to, Verdict.PENDING, null, MonthEvaluator.PENDING_DETAIL);
      } else {
        judge.evidence(from, to);
      }
      from = to;
    }
    return new Result(tally.report(), judge.runs);
  }

  /**
   * SLA §3's cap in chronological order: the first 300 minutes of counted maintenance are excluded,
   * the rest of each window is counted over the cap and judged like any other minute.
   */
  private static List<Owned> capped(MonthTally tally, List<Owned> windows) {
    List<Owned> excluded = new ArrayList<>();
    long left = MonthEvaluator.MAINTENANCE_CAP_MINUTES;
    for (Owned w : windows) {
      int length = w.end() - w.start();
      int taken = (int) Math.min(length, left);
      if (taken > 0) {
        excluded.add(new Owned(w.start(), w.start() + taken, w.owner()));
      }
      left -= taken;
      tally.maintenanceExcluded += taken;
      tally.windowExcluded[w.owner()] += taken;
      tally.overCap += length - taken;
      tally.windowOverCap[w.owner()] += length - taken;
    }
    return excluded;
  }

  /**
   * The minutes covered by the counted spans, each owned by the earliest span in list order (the
   * list is sorted by start), as disjoint pieces in chronological order.
   */
  private static <T> List<Owned> owned(
      MinuteAxis axis,
      List<T> spans,
      boolean[] counted,
      Function<T, Instant> start,
      Function<T, Instant> end) {
    List<int[]> edges = new ArrayList<>(); // {position, +1 opens / -1 closes, owner}
    for (int s = 0; s < spans.size(); s++) {
      int first = axis.firstTouched(start.apply(spans.get(s)));
      int last = axis.endBefore(end.apply(spans.get(s)));
      if (counted[s] && last > first) {
        edges.add(new int[] {first, 1, s});
        edges.add(new int[] {last, -1, s});
      }
    }
    edges.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<Owned> pieces = new ArrayList<>();
    TreeSet<Integer> open = new TreeSet<>();
    int i = 0;
    while (i < edges.size()) {
      int position = edges.get(i)[0];
      for (; i < edges.size() && edges.get(i)[0] == position; i++) {
        if (edges.get(i)[1] > 0) {
          open.add(edges.get(i)[2]);
        } else {
          open.remove(edges.get(i)[2]);
        }
      }
      if (!open.isEmpty() && i < edges.size()) {
        int owner = open.first();
        int next = edges.get(i)[0];
        Owned last = pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
        if (last != null && last.owner() == owner && last.end() == position) {
          pieces.set(pieces.size() - 1, new Owned(last.start(), next, owner));
        } else {
          pieces.add(new Owned(position, next, owner));
        }
      }
    }
    return pieces;
  }

  /**
   * Judges the minutes left to the evidence (SLA §1) and writes every verdict into the tally and
   * the runs. Pieces arrive in chronological order, so each list is walked once.
   */
  private static final class Judge {

    private final MinuteAxis axis;
    private final MonthTally tally;
    private final List<Ledger.Run> runs;
    private final int[] failedAt;
    private final List<ProbeMinute> failed;
    private final int[] errorAt;
    private final List<RequestMinute> errors;
    private final int[] gapStart;
    private final int[] gapEnd;
    private final List<ProbeGap> gaps;
    private final int[] countedInGap;
    private int nextFailed;
    private int nextError;
    private int nextGap;
    private int nextCounted;

    Judge(MonthFacts facts, MinuteAxis axis, MonthTally tally, boolean withLedger) {
      this.axis = axis;
      this.tally = tally;
      this.runs = withLedger ? new ArrayList<>() : null;
      this.failed = facts.failedProbes();
      this.failedAt = indexes(axis, failed, ProbeMinute::minute);
      this.errors = facts.errorRateMinutes();
      this.errorAt = indexes(axis, errors, RequestMinute::minute);
      this.gaps = facts.probeGaps();
      this.gapStart = indexes(axis, gaps, ProbeGap::start);
      this.gapEnd = new int[gaps.size()];
      for (int g = 0; g < gaps.size(); g++) {
        gapEnd[g] = axis.endBefore(gaps.get(g).end());
      }
      this.countedInGap = indexes(axis, facts.requestMinutesInGaps(), t -> t);
    }

    /** The minutes [from, to), none excluded or pending: probe gaps and measured stretches. */
    void evidence(int from, int to) {
      int at = from;
      while (at < to) {
        while (nextGap < gaps.size() && gapEnd[nextGap] <= at) {
          nextGap++;
        }
        if (nextGap < gaps.size() && gapStart[nextGap] <= at) {
          int end = Math.min(to, gapEnd[nextGap]);
          unmeasured(at, end, gaps.get(nextGap).reason());
          at = end;
        } else {
          int end = nextGap < gaps.size() ? Math.min(to, gapStart[nextGap]) : to;
          measured(at, end);
          at = end;
        }
      }
    }

    /** Minutes with probe results: available but for failed probes and error-rate minutes. */
    private void measured(int from, int to) {
      int at = from;
      while (true) {
        nextFailed = skip(failedAt, nextFailed, at);
        nextError = skip(errorAt, nextError, at);
        int minute = Math.min(peek(failedAt, nextFailed), peek(errorAt, nextError));
        if (minute >= to) {
          break;
        }
        emit(at, minute, Verdict.AVAILABLE, null, null);
        RequestMinute error = take(errorAt, errors, nextError, minute);
        if (error != null) {
          nextError++;
        }
        if (peek(failedAt, nextFailed) == minute) {
          String detail = MonthEvaluator.probesFailedDetail(failed.get(nextFailed++));
          if (error != null) {
            detail += "; " + MonthEvaluator.errorRateDetail(error);
          }
          unavailable(minute, MonthEvaluator.PROBES_FAILED, detail);
        } else {
          unavailable(minute, MonthEvaluator.ERROR_RATE, MonthEvaluator.errorRateDetail(error));
        }
        at = minute + 1;
      }
      emit(at, to, Verdict.AVAILABLE, null, null);
    }

    /**
     * Minutes without probe results: "no data", unless the workspace's request counts say available
     * (or unavailable, at the error rate).
     */
    private void unmeasured(int from, int to, String reason) {
      String detail =
          reason == null
              ? MonthEvaluator.NO_DATA_DETAIL
              : MonthEvaluator.NO_DATA_DETAIL + " (" + reason + ")";
      int at = from;
      while (true) {
        nextCounted = skip(countedInGap, nextCounted, at);
        nextError = skip(errorAt, nextError, at);
        int minute = Math.min(peek(countedInGap, nextCounted), peek(errorAt, nextError));
        if (minute >= to) {
          break;
        }
        emit(at, minute, Verdict.NO_DATA, MonthEvaluator.NO_DATA, detail);
        RequestMinute error = take(errorAt, errors, nextError, minute);
        if (error != null) {
          nextError++;
          unavailable(minute, MonthEvaluator.ERROR_RATE, MonthEvaluator.errorRateDetail(error));
        } else {
          emit(minute, minute + 1, Verdict.AVAILABLE, null, null);
        }
        at = minute + 1;
      }
      emit(at, to, Verdict.NO_DATA, MonthEvaluator.NO_DATA, detail);
    }

    private void unavailable(int minute, String reason, String detail) {
      tally.unavailable.add(new UnavailableMinute(axis.minute(minute), reason, detail));
      append(minute, minute + 1, Verdict.UNAVAILABLE, reason, detail);
    }

    /** Counts and records the minutes [from, to) with one verdict (nothing when empty). */
    void emit(int from, int to, Verdict verdict, String reason, String detail) {
      if (to <= from) {
        return;
      }
      tally.count(verdict, reason, to - from);
      append(from, to, verdict, reason, detail);
    }

    private void append(int from, int to, Verdict verdict, String reason, String detail) {
      if (runs == null) {
        return;
      }
      int length = to - from;
      if (!runs.isEmpty()) {
        Ledger.Run last = runs.get(runs.size() - 1);
        if (last.verdict() == verdict
            && Objects.equals(last.reason(), reason)
            && Objects.equals(last.detail(), detail)
            && last.start().plusSeconds(60L * last.minutes()).equals(axis.minute(from))) {
          runs.set(
              runs.size() - 1,
              new Ledger.Run(last.start(), last.minutes() + length, verdict, reason, detail));
          return;
        }
      }
      runs.add(new Ledger.Run(axis.minute(from), length, verdict, reason, detail));
    }

    private static <T> int[] indexes(MinuteAxis axis, List<T> items, Function<T, Instant> at) {
      int[] indexes = new int[items.size()];
      for (int i = 0; i < items.size(); i++) {
        long index = axis.indexOf(at.apply(items.get(i)));
        indexes[i] = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, index));
      }
      return indexes;
    }

    /** The first position at or after {@code from} in the sorted {@code indexes}. */
    private static int skip(int[] indexes, int position, int from) {
      while (position < indexes.length && indexes[position] < from) {
        position++;
      }
      return position;
    }

    private static int peek(int[] indexes, int position) {
      return position < indexes.length ? indexes[position] : Integer.MAX_VALUE;
    }

    private static <T> T take(int[] indexes, List<T> items, int position, int minute) {
      return peek(indexes, position) == minute ? items.get(position) : null;
    }
  }
}
