package dev.tributary.sla.evaluation;

import dev.tributary.contract.BusinessDayCalendar;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Evaluates one workspace's month against the SLA: the 99.99% monthly availability target of SLA §1
 * (a minute is unavailable when every probe of an endpoint failed or at least 5% of at least 20
 * valid requests failed with 5xx), the declared exclusions of SLA §2 and the scheduled maintenance
 * of SLA §3 (three business days' notice, at most 300 excluded minutes a month, preferably inside a
 * Friday 18:00 – Monday 03:00 Pacific weekend).
 */
public final class MonthEvaluator {

  /** SLA §3: at most this many minutes of scheduled maintenance are excluded in a month. */
  public static final int MAINTENANCE_CAP_MINUTES = 300;

  /** SLA §1: below this many valid requests a minute's error rate says nothing. */
  public static final int MIN_REQUESTS_FOR_ERROR_RATE = 20;

  /** SLA §1: a minute whose 5xx share of valid requests reaches this percentage is unavailable. */
  public static final int ERROR_RATE_PERCENT = 5;

  /** SLA §1: the monthly availability target. */
  public static final String TARGET_PERCENT = "99.99";

  static final String SCHEDULED_MAINTENANCE = "SCHEDULED_MAINTENANCE";
  static final String PROBES_FAILED = "PROBES_FAILED";
  static final String ERROR_RATE = "ERROR_RATE";
  static final String NO_DATA = "NO_DATA";
  static final String NO_DATA_DETAIL = "no probe results and no request counts";
  static final String PENDING_DETAIL = "the minute was not over as of the evaluation";

  /** The target as a ratio: unavailable minutes may be at most 1 in this many eligible minutes. */
  static final long TARGET_DENOMINATOR = 10_000;

  private static final LocalTime WEEKEND_START = LocalTime.of(18, 0);
  private static final LocalTime WEEKEND_END = LocalTime.of(3, 0);

  static final Comparator<MaintenanceWindow> WINDOW_ORDER =
      Comparator.comparing(MaintenanceWindow::start).thenComparing(MaintenanceWindow::id);
  static final Comparator<Exclusion> EXCLUSION_ORDER =
      Comparator.comparing(Exclusion::start).thenComparing(Exclusion::id);

  private MonthEvaluator() {}

  /** The verdict on every minute of the evidence's month and the month's report. */
  public static MonthEvaluation evaluate(MonthEvidence evidence) {
    MonthTally tally =
        new MonthTally(
            evidence.month(),
            evidence.timeZone(),
            evidence.maintenanceWindows(),
            evidence.exclusions());
    MinuteAxis axis = tally.axis;
    int size = axis.size();
    List<MaintenanceWindow> windows = tally.windows;
    List<Exclusion> exclusions = tally.exclusions;

    ProbeMinute[] probeAt = probesByMinute(axis, evidence.probes());
    RequestMinute[] requestAt = requestsByMinute(axis, evidence.requests());
    int[] windowAt =
        owners(axis, windows, tally.qualifies, MaintenanceWindow::start, MaintenanceWindow::end);
    boolean[] allExclusions = new boolean[exclusions.size()];
    Arrays.fill(allExclusions, true);
    int[] exclusionAt = owners(axis, exclusions, allExclusions, Exclusion::start, Exclusion::end);
    int pendingFrom = tally.pendingFrom(evidence.asOf());

    List<MinuteVerdict> ledger = new ArrayList<>(size);

    for (int i = 0; i < size; i++) {
      Instant minute = axis.minute(i);
      int w = windowAt[i];
      int e = exclusionAt[i];
      MinuteVerdict verdict;
      if (w >= 0 && tally.maintenanceExcluded < MAINTENANCE_CAP_MINUTES) {
        tally.maintenanceExcluded++;
        tally.windowExcluded[w]++;
        verdict =
            new MinuteVerdict(
                minute,
                Verdict.EXCLUDED,
                SCHEDULED_MAINTENANCE,
                "maintenance window " + windows.get(w).id());
      } else {
        if (w >= 0) {
          tally.overCap++;
          tally.windowOverCap[w]++;
        }
        if (e >= 0) {
          Exclusion exclusion = exclusions.get(e);
          tally.exclusionExcluded[e]++;
          verdict =
              new MinuteVerdict(
                  minute,
                  Verdict.EXCLUDED,
                  exclusion.category().name(),
                  "exclusion " + exclusion.id() + ": " + exclusion.reason());
        } else if (i >= pendingFrom) {
          verdict = new MinuteVerdict(minute, Verdict.PENDING, null, PENDING_DETAIL);
        } else {
          verdict = judge(minute, probeAt[i], requestAt[i]);
        }
      }
      if (verdict.verdict() == Verdict.UNAVAILABLE) {
        tally.unavailable.add(new UnavailableMinute(minute, verdict.reason(), verdict.detail()));
      } else {
        tally.count(verdict.verdict(), verdict.reason(), 1);
      }
      ledger.add(verdict);
    }
    MonthReport report = tally.report();
    return new MonthEvaluation(report, List.copyOf(ledger));
  }

  /**
   * Whether [start,end) lies within one Friday 18:00 – Monday 03:00 America/Los_Angeles weekend.
   */
  public static boolean insideWeekendWindow(Instant start, Instant end) {
    ZonedDateTime localStart = start.atZone(BusinessDayCalendar.PACIFIC);
    LocalDate friday =
        localStart.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.FRIDAY));
    ZonedDateTime weekendStart =
        ZonedDateTime.of(friday, WEEKEND_START, BusinessDayCalendar.PACIFIC);
    if (weekendStart.isAfter(localStart)) {
      weekendStart = weekendStart.minusWeeks(1);
    }
    // weekendStart <= start by construction, so only the end remains to check.
    ZonedDateTime weekendEnd =
        ZonedDateTime.of(
            weekendStart.toLocalDate().plusDays(3), WEEKEND_END, BusinessDayCalendar.PACIFIC);
    return !end.isAfter(weekendEnd.toInstant());
  }

  /** SLA §3: notice sent at least three business days before the window's real start. */
  static boolean noticeQualifies(MaintenanceWindow window) {
    return window.noticeSentAt() != null
        && BusinessDayCalendar.meetsLeadTime(
            window.noticeSentAt(),
            window.start(),
            BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS);
  }

  static ProbeMinute[] probesByMinute(MinuteAxis axis, List<ProbeMinute> probes) {
    ProbeMinute[] byMinute = new ProbeMinute[axis.size()];
    for (ProbeMinute probe : probes) {
      long i = axis.indexOf(probe.minute());
      if (i >= 0 && i < byMinute.length) {
        ProbeMinute known = byMinute[(int) i];
        byMinute[(int) i] = known == null ? probe : union(known, probe);
      }
    }
    return byMinute;
  }

  private static ProbeMinute union(ProbeMinute a, ProbeMinute b) {
    Set<String> failed = new TreeSet<>(a.failedEndpoints());
    failed.addAll(b.failedEndpoints());
    return new ProbeMinute(a.minute(), failed);
  }

  static RequestMinute[] requestsByMinute(MinuteAxis axis, List<RequestMinute> requests) {
    RequestMinute[] byMinute = new RequestMinute[axis.size()];
    for (RequestMinute request : requests) {
      long i = axis.indexOf(request.minute());
      if (i >= 0 && i < byMinute.length) {
        RequestMinute known = byMinute[(int) i];
        byMinute[(int) i] = known == null ? request : known.plus(request);
      }
    }
    return byMinute;
  }

  /**
   * For every minute, the index of the earliest (in list order) counted span covering it, or -1.
   * The list is sorted by start, so the earliest-starting span wins.
   */
  private static <T> int[] owners(
      MinuteAxis axis,
      List<T> spans,
      boolean[] counted,
      Function<T, Instant> start,
      Function<T, Instant> end) {
    int[] owner = new int[axis.size()];
    Arrays.fill(owner, -1);
    for (int s = 0; s < spans.size(); s++) {
      if (!counted[s]) {
        continue;
      }
      T span = spans.get(s);
      int last = axis.endBefore(end.apply(span));
      for (int i = axis.firstTouched(start.apply(span)); i < last; i++) {
        if (owner[i] < 0) {
          owner[i] = s;
        }
      }
    }
    return owner;
  }

  /** SLA §1 on one past, non-excluded minute. */
  private static MinuteVerdict judge(Instant minute, ProbeMinute probe, RequestMinute requests) {
    boolean probesFailed = probe != null && !probe.failedEndpoints().isEmpty();
    boolean errorRate = requests != null && errorRateReached(requests);
    if (probesFailed) {
      String detail = probesFailedDetail(probe);
      if (errorRate) {
        detail += "; " + errorRateDetail(requests);
      }
      return new MinuteVerdict(minute, Verdict.UNAVAILABLE, PROBES_FAILED, detail);
    }
    if (errorRate) {
      return new MinuteVerdict(minute, Verdict.UNAVAILABLE, ERROR_RATE, errorRateDetail(requests));
    }
    if (probe == null && requests == null) {
      return new MinuteVerdict(minute, Verdict.NO_DATA, NO_DATA, NO_DATA_DETAIL);
    }
    return new MinuteVerdict(minute, Verdict.AVAILABLE, null, null);
  }

  static String probesFailedDetail(ProbeMinute probe) {
    return "every probe of " + String.join(", ", probe.failedEndpoints()) + " failed";
  }

  static boolean errorRateReached(RequestMinute requests) {
    long valid = requests.validRequests();
    return valid >= MIN_REQUESTS_FOR_ERROR_RATE
        && requests.failed5xx() * 100 >= ERROR_RATE_PERCENT * valid;
  }

  static String errorRateDetail(RequestMinute requests) {
    return requests.failed5xx()
        + " of "
        + requests.validRequests()
        + " valid requests failed with 5xx";
  }

  static String availabilityPercent(long available, long eligible) {
    if (eligible == 0) {
      return "100.000000";
    }
    return BigDecimal.valueOf(available)
        .multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf(eligible), 6, RoundingMode.DOWN)
        .toPlainString();
  }

  static MaintenanceWindowOutcome windowOutcome(
      MinuteAxis axis, MaintenanceWindow window, boolean qualifies, long excluded, long overCap) {
    Integer noticeBusinessDays =
        window.noticeSentAt() == null
            ? null
            : BusinessDayCalendar.businessDaysStrictlyBetween(
                BusinessDayCalendar.pacificDate(window.noticeSentAt()),
                BusinessDayCalendar.pacificDate(window.start()));
    return new MaintenanceWindowOutcome(
        window.id(),
        window.start(),
        window.end(),
        window.noticeSentAt(),
        noticeBusinessDays,
        qualifies,
        insideWeekendWindow(window.start(), window.end()),
        axis.endBefore(window.end()) - axis.firstTouched(window.start()),
        excluded,
        overCap);
  }

  /** SLA §3 flags of one window, in a fixed order: notice, weekend, cap. */
  static List<Flag> flags(MaintenanceWindowOutcome window) {
    List<Flag> flags = new ArrayList<>();
    String id = window.id();
    if (window.noticeSentAt() == null) {
      flags.add(
          new Flag(
              "MAINTENANCE_NOT_NOTIFIED",
              id,
              "no notice was sent for maintenance window " + id + "; it excludes no minutes"));
    } else if (!window.noticeQualifies()) {
      flags.add(
          new Flag(
              "MAINTENANCE_NOTICE_TOO_LATE",
              id,
              "the notice for maintenance window "
                  + id
                  + " came "
                  + window.noticeBusinessDays()
                  + " business days before its start; "
                  + BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS
                  + " are required, so it excludes no minutes"));
    }
    if (!window.insideWeekendWindow()) {
      flags.add(
          new Flag(
              "MAINTENANCE_OUTSIDE_WEEKEND_WINDOW",
              id,
              "maintenance window "
                  + id
                  + " is not inside one Friday 18:00 – Monday 03:00 Pacific weekend"));
    }
    if (window.overCapMinutes() > 0) {
      flags.add(
          new Flag(
              "MAINTENANCE_OVER_CAP",
              id,
              window.overCapMinutes()
                  + " minutes of maintenance window "
                  + id
                  + " exceeded the monthly cap of "
                  + MAINTENANCE_CAP_MINUTES
                  + " minutes and were judged on the evidence"));
    }
    return flags;
  }
}
