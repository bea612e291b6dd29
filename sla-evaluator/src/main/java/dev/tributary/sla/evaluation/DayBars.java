package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The status pages' view of a ledger (issue 13): the minutes of each calendar day by verdict, and
 * the incidents, each a run of consecutive unavailable minutes (SLA §1) with its reasons. A pure
 * function of the {@link Ledger.Run runs} the evaluation made, so a day's count of unavailable
 * minutes is exactly the number of minutes the month's report counts as unavailable on that day.
 * Its cost follows the runs and the days, never the minutes.
 */
public final class DayBars {

  /** At most this many distinct reasons are kept per day or incident; the rest are counted. */
  public static final int MAX_REASONS = 3;

  /**
   * One day in the zone of the ledger: its minutes by verdict ({@code excludedByReason}: {@code
   * SCHEDULED_MAINTENANCE} or an exclusion category), the distinct reasons of its unavailable
   * minutes (at most {@link #MAX_REASONS}) and how many other reasons there were. {@code
   * minutesKnown} counts the day's minutes the ledger covers (0: nothing evaluated that day).
   */
  public record Day(
      LocalDate date,
      long minutesKnown,
      long unavailableMinutes,
      long maintenanceMinutes,
      long excludedMinutes,
      SortedMap<String, Long> excludedByReason,
      long noDataMinutes,
      long pendingMinutes,
      List<String> reasons,
      int moreReasons) {}

  /**
   * Consecutive unavailable minutes [start, end), with the distinct reasons of its minutes (at most
   * {@link #MAX_REASONS}) and how many other reasons there were.
   */
  public record Incident(
      Instant start, Instant end, long minutes, List<String> reasons, int more) {}

  private DayBars() {}

  /**
   * The days {@code first} to {@code last} (inclusive) in {@code zone}, from chronological runs.
   */
  public static List<Day> days(
      List<Ledger.Run> runs, ZoneId zone, LocalDate first, LocalDate last) {
    TreeMap<LocalDate, Builder> days = new TreeMap<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      days.put(d, new Builder());
    }
    Instant rangeStart = first.atStartOfDay(zone).toInstant();
    Instant rangeEnd = last.plusDays(1).atStartOfDay(zone).toInstant();
    for (Ledger.Run run : runs) {
      Instant start = max(run.start(), rangeStart);
      Instant end = min(run.start().plusSeconds(60L * run.minutes()), rangeEnd);
      Instant at = start;
      while (at.isBefore(end)) {
        LocalDate date = LocalDate.ofInstant(at, zone);
        Instant dayEnd = min(date.plusDays(1).atStartOfDay(zone).toInstant(), end);
        long minutes = Math.max(0, (dayEnd.getEpochSecond() - at.getEpochSecond()) / 60);
        Builder day = days.get(date);
        if (day != null) {
          day.add(run, minutes);
        }
        at = dayEnd;
      }
    }
    List<Day> result = new ArrayList<>(days.size());
    days.forEach((date, b) -> result.add(b.build(date)));
    return result;
  }

  /** The incidents of chronological runs, oldest first. */
  public static List<Incident> incidents(List<Ledger.Run> runs) {
    List<Incident> incidents = new ArrayList<>();
    Instant start = null;
    Instant end = null;
    Reasons reasons = null;
    for (Ledger.Run run : runs) {
      Instant runEnd = run.start().plusSeconds(60L * run.minutes());
      if (run.verdict() != Verdict.UNAVAILABLE) {
        continue;
      }
      if (start != null && end.equals(run.start())) {
        end = runEnd;
        reasons.add(run.detail());
        continue;
      }
      if (start != null) {
        incidents.add(reasons.incident(start, end));
      }
      start = run.start();
      end = runEnd;
      reasons = new Reasons();
      reasons.add(run.detail());
    }
    if (start != null) {
      incidents.add(reasons.incident(start, end));
    }
    return incidents;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Distinct reasons in order of appearance, the first {@link #MAX_REASONS} kept. */
  private static final class Reasons {
    private final Set<String> all = new LinkedHashSet<>();

    void add(String reason) {
      if (reason != null) {
        all.add(reason);
      }
    }

    List<String> kept() {
      return all.stream().limit(MAX_REASONS).toList();
    }

    int more() {
      return Math.max(0, all.size() - MAX_REASONS);
    }

    Incident incident(Instant start, Instant end) {
      return new Incident(
          start, end, (end.getEpochSecond() - start.getEpochSecond()) / 60, kept(), more());
    }
  }

  private static final class Builder {
    long known;
    long unavailable;
    long maintenance;
    long excluded;
    long noData;
    long pending;
    final TreeMap<String, Long> excludedByReason = new TreeMap<>();
    final Reasons reasons = new Reasons();

    void add(Ledger.Run run, long minutes) {
      if (minutes == 0) {
        return;
      }
      known += minutes;
      switch (run.verdict()) {
        case UNAVAILABLE -> {
          unavailable += minutes;
          reasons.add(run.detail());
        }
        case EXCLUDED -> {
          excludedByReason.merge(run.reason(), minutes, Long::sum);
          if (MonthEvaluator.SCHEDULED_MAINTENANCE.equals(run.reason())) {
            maintenance += minutes;
          } else {
            excluded += minutes;
          }
        }
        case NO_DATA -> noData += minutes;
        case PENDING -> pending += minutes;
        case AVAILABLE -> {}
      }
    }

    Day build(LocalDate date) {
      return new Day(
          date,
          known,
          unavailable,
          maintenance,
          excluded,
          java.util.Collections.unmodifiableSortedMap(new TreeMap<>(excludedByReason)),
          noData,
          pending,
          reasons.kept(),
          reasons.more());
    }
  }
}
