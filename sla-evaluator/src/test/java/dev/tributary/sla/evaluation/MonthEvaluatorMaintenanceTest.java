package dev.tributary.sla.evaluation;

import static dev.tributary.sla.evaluation.Evidence.at;
import static dev.tributary.sla.evaluation.Evidence.verdictAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLA §3 scheduled maintenance: notice, the 300-minute cap, month splits and the weekend flag. */
class MonthEvaluatorMaintenanceTest {

  @Test
  void noticedWindowIsExcludedEvenWhereProbesFailed() {
    // Notice Mon 2025-07-07 10:00 PDT; window Sat 2025-07-12 00:00-02:00 PDT (07:00Z-09:00Z).
    // Business days strictly between Jul 7 and Jul 12: Tue 8, Wed 9, Thu 10, Fri 11 = 4 >= 3.
    // 120 minutes excluded; July UTC 44,640 - 120 = 44,520 eligible.
    MonthEvaluation evaluation =
        Evidence.utc(2025, 7)
            .window("w1", "2025-07-12T07:00:00Z", "2025-07-12T09:00:00Z", "2025-07-07T17:00:00Z")
            .probesFailed("2025-07-12T07:30:00Z", "track")
            .evaluate();
    MonthReport report = evaluation.report();
    assertEquals(120, report.excludedMinutes());
    assertEquals(120, report.maintenanceExcludedMinutes());
    assertEquals(Map.of("SCHEDULED_MAINTENANCE", 120L), report.excludedByCategory());
    assertEquals(44_520, report.eligibleMinutes());
    assertEquals(0, report.unavailableMinutes());
    assertEquals(List.of(), report.flags());
    assertEquals(
        List.of(
            new MaintenanceWindowOutcome(
                "w1",
                at("2025-07-12T07:00:00Z"),
                at("2025-07-12T09:00:00Z"),
                at("2025-07-07T17:00:00Z"),
                4,
                true,
                true,
                120,
                120,
                0)),
        report.maintenanceWindows());
    assertEquals(
        new MinuteVerdict(
            at("2025-07-12T07:30:00Z"),
            Verdict.EXCLUDED,
            "SCHEDULED_MAINTENANCE",
            "maintenance window w1"),
        verdictAt(evaluation, "2025-07-12T07:30:00Z"));
    // The end is exclusive: 09:00Z is an ordinary minute again.
    assertEquals(Verdict.NO_DATA, verdictAt(evaluation, "2025-07-12T09:00:00Z").verdict());
  }

  @Test
  void noticeOverThanksgivingIsTooLate() {
    // Notice Wed 2025-11-26 09:00 PST (17:00Z); window Mon 2025-12-01 01:00-02:00 PST
    // (09:00Z-10:00Z). Strictly between Nov 26 and Dec 1: Thu 27 is Thanksgiving, Fri 28 is a
    // business day, Sat 29 and Sun 30 are weekend: 1 business day < 3. Nothing is excluded, so the
    // failed probe at 09:30Z is unavailable. The window lies inside the Fri Nov 28 18:00 - Mon
    // Dec 1 03:00 weekend, so only the notice is flagged.
    MonthEvaluation evaluation =
        Evidence.utc(2025, 12)
            .window("thx", "2025-12-01T09:00:00Z", "2025-12-01T10:00:00Z", "2025-11-26T17:00:00Z")
            .probesFailed("2025-12-01T09:30:00Z", "track")
            .evaluate();
    MonthReport report = evaluation.report();
    assertEquals(0, report.excludedMinutes());
    assertEquals(1, report.unavailableMinutes());
    assertEquals(
        new MaintenanceWindowOutcome(
            "thx",
            at("2025-12-01T09:00:00Z"),
            at("2025-12-01T10:00:00Z"),
            at("2025-11-26T17:00:00Z"),
            1,
            false,
            true,
            60,
            0,
            0),
        report.maintenanceWindows().get(0));
    assertEquals(1, report.flags().size());
    Flag flag = report.flags().get(0);
    assertEquals("MAINTENANCE_NOTICE_TOO_LATE", flag.code());
    assertEquals("thx", flag.windowId());
    assertTrue(flag.detail().contains("1 business days"), flag.detail());
    assertTrue(flag.detail().contains("3 are required"), flag.detail());
  }

  @Test
  void thanksgivingIsSkippedButThreeBusinessDaysStillQualify() {
    // Notice 2025-11-25T06:00Z = Mon Nov 24 22:00 PST: the Pacific date is Nov 24, not the UTC
    // Nov 25. Strictly between Nov 24 and Dec 1: Tue 25, Wed 26, (Thu 27 holiday), Fri 28 = 3.
    MonthReport qualifying =
        Evidence.utc(2025, 12)
            .window("thx", "2025-12-01T09:00:00Z", "2025-12-01T10:00:00Z", "2025-11-25T06:00:00Z")
            .evaluate()
            .report();
    assertEquals(3, qualifying.maintenanceWindows().get(0).noticeBusinessDays());
    assertTrue(qualifying.maintenanceWindows().get(0).noticeQualifies());
    assertEquals(60, qualifying.maintenanceExcludedMinutes());
    assertEquals(List.of(), qualifying.flags());

    // Notice Tue Nov 25 10:00 PST (18:00Z): Wed 26, Fri 28 = 2 < 3.
    MonthReport late =
        Evidence.utc(2025, 12)
            .window("thx", "2025-12-01T09:00:00Z", "2025-12-01T10:00:00Z", "2025-11-25T18:00:00Z")
            .evaluate()
            .report();
    assertEquals(2, late.maintenanceWindows().get(0).noticeBusinessDays());
    assertEquals(0, late.maintenanceExcludedMinutes());
    assertEquals("MAINTENANCE_NOTICE_TOO_LATE", late.flags().get(0).code());
  }

  @Test
  void windowWithoutNoticeExcludesNothing() {
    MonthReport report =
        Evidence.utc(2025, 7)
            .window("silent", "2025-07-12T07:00:00Z", "2025-07-12T08:00:00Z", null)
            .evaluate()
            .report();
    assertEquals(0, report.excludedMinutes());
    MaintenanceWindowOutcome outcome = report.maintenanceWindows().get(0);
    assertEquals(null, outcome.noticeBusinessDays());
    assertEquals(false, outcome.noticeQualifies());
    assertEquals(60, outcome.minutesInMonth());
    assertEquals(
        List.of("MAINTENANCE_NOT_NOTIFIED"), report.flags().stream().map(Flag::code).toList());
    assertEquals("silent", report.flags().get(0).windowId());
  }

  @Test
  void capOfThreeHundredMinutesAcrossTwoWindows() {
    // Both noticed Mon 2025-07-07 10:00 PDT (Jul 12: 4 business days; Jul 19: 9), both inside a
    // weekend (Saturday 00:00-03:20 PDT). A = Jul 12 07:00Z-10:20Z, 200 minutes, all excluded.
    // B = Jul 19 07:00Z-10:20Z, 200 minutes: 07:00-08:39 (100) fill the cap to 300, 08:40-10:19
    // (100) are over the cap and judged like any minute:
    //   08:39 failed probe -> still excluded (within the cap)
    //   08:40 and 10:19 failed probes -> 2 unavailable
    //   09:00 passing probe -> available
    //   10:00-10:09 -> declared INTERNET_PROBLEM exclusion, 10 minutes
    //   the other 100 - 2 - 1 - 10 = 87 -> no data.
    // Excluded 300 + 10 = 310; eligible 44,640 - 310 = 44,330; available 44,328;
    // 44,328 * 100 / 44,330 = 99.9954883... -> "99.995488"; 20,000 <= 44,330 met.
    // No data: 44,330 eligible - 2 unavailable - 1 available with data = 44,327.
    MonthEvaluation evaluation =
        Evidence.utc(2025, 7)
            .window("A", "2025-07-12T07:00:00Z", "2025-07-12T10:20:00Z", "2025-07-07T17:00:00Z")
            .window("B", "2025-07-19T07:00:00Z", "2025-07-19T10:20:00Z", "2025-07-07T17:00:00Z")
            .probesFailed("2025-07-19T08:39:00Z", "track")
            .probesFailed("2025-07-19T08:40:00Z", "track")
            .probesFailed("2025-07-19T10:19:00Z", "track")
            .probesOk("2025-07-19T09:00:00Z")
            .exclusion(
                "net",
                "2025-07-19T10:00:00Z",
                "2025-07-19T10:10:00Z",
                ExclusionCategory.INTERNET_PROBLEM)
            .evaluate();
    MonthReport report = evaluation.report();
    assertEquals(300, report.maintenanceExcludedMinutes());
    assertEquals(100, report.maintenanceOverCapMinutes());
    assertEquals(310, report.excludedMinutes());
    assertEquals(
        Map.of("INTERNET_PROBLEM", 10L, "SCHEDULED_MAINTENANCE", 300L),
        report.excludedByCategory());
    assertEquals(44_330, report.eligibleMinutes());
    assertEquals(2, report.unavailableMinutes());
    assertEquals(44_328, report.availableMinutes());
    assertEquals(44_327, report.noDataMinutes());
    assertEquals("99.995488", report.availabilityPercent());
    assertTrue(report.targetMet());
    assertEquals(2, report.errorBudgetRemainingMinutes());

    MaintenanceWindowOutcome a = report.maintenanceWindows().get(0);
    MaintenanceWindowOutcome b = report.maintenanceWindows().get(1);
    assertEquals(
        List.of(200L, 200L, 0L),
        List.of(a.minutesInMonth(), a.excludedMinutes(), a.overCapMinutes()));
    assertEquals(
        List.of(200L, 100L, 100L),
        List.of(b.minutesInMonth(), b.excludedMinutes(), b.overCapMinutes()));
    assertEquals(1, report.flags().size());
    Flag flag = report.flags().get(0);
    assertEquals("MAINTENANCE_OVER_CAP", flag.code());
    assertEquals("B", flag.windowId());
    assertTrue(flag.detail().startsWith("100 minutes"), flag.detail());
    assertEquals(10, report.exclusions().get(0).excludedMinutes());

    assertEquals(Verdict.EXCLUDED, verdictAt(evaluation, "2025-07-19T08:39:00Z").verdict());
    assertEquals(
        List.of(at("2025-07-19T08:40:00Z"), at("2025-07-19T10:19:00Z")),
        report.unavailable().stream().map(UnavailableMinute::minute).toList());
    assertEquals(
        new MinuteVerdict(
            at("2025-07-19T10:05:00Z"),
            Verdict.EXCLUDED,
            "INTERNET_PROBLEM",
            "exclusion net: reason of net"),
        verdictAt(evaluation, "2025-07-19T10:05:00Z"));
  }

  @Test
  void overlappingWindowsCountEachMinuteOnce() {
    // W1 07:00Z-09:00Z and W2 08:00Z-10:00Z on Sat Jul 12: the union 07:00-10:00 is 180 minutes.
    // The overlap 08:00-08:59 goes to the earlier-starting W1 (120); W2 gets 09:00-09:59 (60).
    MonthReport report =
        Evidence.utc(2025, 7)
            .window("W2", "2025-07-12T08:00:00Z", "2025-07-12T10:00:00Z", "2025-07-07T17:00:00Z")
            .window("W1", "2025-07-12T07:00:00Z", "2025-07-12T09:00:00Z", "2025-07-07T17:00:00Z")
            .evaluate()
            .report();
    assertEquals(180, report.maintenanceExcludedMinutes());
    assertEquals(
        List.of("W1", "W2"),
        report.maintenanceWindows().stream().map(MaintenanceWindowOutcome::id).toList());
    assertEquals(120, report.maintenanceWindows().get(0).excludedMinutes());
    assertEquals(120, report.maintenanceWindows().get(1).minutesInMonth());
    assertEquals(60, report.maintenanceWindows().get(1).excludedMinutes());
  }

  @Test
  void overlappingWindowsReachTheCapOnTheirUnion() {
    // W1 07:00Z-11:00Z (240) and W2 09:00Z-13:00Z (240) on Sat Jul 12: union 07:00-13:00 = 360.
    // 07:00-11:59 (300) excluded: W1 240, W2 11:00-11:59 = 60. 12:00-12:59 = 60 over the cap, W2's.
    MonthReport report =
        Evidence.utc(2025, 7)
            .window("W1", "2025-07-12T07:00:00Z", "2025-07-12T11:00:00Z", "2025-07-07T17:00:00Z")
            .window("W2", "2025-07-12T09:00:00Z", "2025-07-12T13:00:00Z", "2025-07-07T17:00:00Z")
            .evaluate()
            .report();
    assertEquals(300, report.maintenanceExcludedMinutes());
    assertEquals(60, report.maintenanceOverCapMinutes());
    MaintenanceWindowOutcome w1 = report.maintenanceWindows().get(0);
    MaintenanceWindowOutcome w2 = report.maintenanceWindows().get(1);
    assertEquals(List.of(240L, 0L), List.of(w1.excludedMinutes(), w1.overCapMinutes()));
    assertEquals(List.of(60L, 60L), List.of(w2.excludedMinutes(), w2.overCapMinutes()));
    assertEquals(List.of("MAINTENANCE_OVER_CAP"), report.flags().stream().map(Flag::code).toList());
    assertEquals("W2", report.flags().get(0).windowId());
  }

  @Test
  void windowAcrossMonthBoundaryIsSplitAndJudgedOnItsRealStart() {
    // Window Mon 2025-06-30 22:00 PDT - Tue 2025-07-01 02:00 PDT (2025-07-01T05:00Z-09:00Z), in
    // America/Los_Angeles months: June gets 22:00-24:00 (120),
    // July gets 00:00-02:00 (120). Outside a weekend (it starts on a Monday night).
    String start = "2025-07-01T05:00:00Z";
    String end = "2025-07-01T09:00:00Z";

    // Notice Wed 2025-06-25 10:00 PDT. Real start Jun 30: strictly between Jun 25 and Jun 30 are
    // Thu 26, Fri 27 = 2 -> too late. (Had July used its own part, starting Jul 1, Mon 30 would
    // make it 3.) So July excludes nothing either.
    MonthReport lateJuly =
        Evidence.in(Evidence.LOS_ANGELES, 2025, 7)
            .window("split", start, end, "2025-06-25T17:00:00Z")
            .evaluate()
            .report();
    assertEquals(0, lateJuly.excludedMinutes());
    MaintenanceWindowOutcome lateOutcome = lateJuly.maintenanceWindows().get(0);
    assertEquals(2, lateOutcome.noticeBusinessDays());
    assertEquals(120, lateOutcome.minutesInMonth());
    assertEquals(
        List.of("MAINTENANCE_NOTICE_TOO_LATE", "MAINTENANCE_OUTSIDE_WEEKEND_WINDOW"),
        lateJuly.flags().stream().map(Flag::code).toList());

    // Notice Mon 2025-06-23 10:00 PDT: Tue 24 - Fri 27 = 4 -> each month excludes its own 120.
    MonthEvaluation june =
        Evidence.in(Evidence.LOS_ANGELES, 2025, 6)
            .window("split", start, end, "2025-06-23T17:00:00Z")
            .evaluate();
    MonthEvaluation july =
        Evidence.in(Evidence.LOS_ANGELES, 2025, 7)
            .window("split", start, end, "2025-06-23T17:00:00Z")
            .evaluate();
    assertEquals(43_200, june.report().totalMinutes());
    assertEquals(120, june.report().maintenanceExcludedMinutes());
    assertEquals(120, june.report().maintenanceWindows().get(0).minutesInMonth());
    assertEquals(Verdict.EXCLUDED, verdictAt(june, "2025-07-01T06:59:00Z").verdict());
    assertEquals(Verdict.NO_DATA, verdictAt(june, "2025-07-01T04:59:00Z").verdict());
    assertEquals(120, july.report().maintenanceExcludedMinutes());
    assertEquals(Verdict.EXCLUDED, july.ledger().get(0).verdict());
    assertEquals(Verdict.NO_DATA, verdictAt(july, "2025-07-01T09:00:00Z").verdict());
  }

  @Test
  void windowStartingFridayAt1700IsExcludedButFlagged() {
    // Fri 2025-07-11 17:00-19:00 PDT (2025-07-12T00:00Z-02:00Z): an hour before the weekend
    // window opens. Notice Mon Jul 7: Tue 8, Wed 9, Thu 10 = 3 -> qualifies, 120 excluded.
    MonthReport report =
        Evidence.utc(2025, 7)
            .window("early", "2025-07-12T00:00:00Z", "2025-07-12T02:00:00Z", "2025-07-07T17:00:00Z")
            .evaluate()
            .report();
    assertEquals(120, report.maintenanceExcludedMinutes());
    assertEquals(false, report.maintenanceWindows().get(0).insideWeekendWindow());
    assertEquals(
        List.of("MAINTENANCE_OUTSIDE_WEEKEND_WINDOW"),
        report.flags().stream().map(Flag::code).toList());
    assertEquals("early", report.flags().get(0).windowId());
  }

  @Test
  void windowsOutsideTheMonthAreNotReported() {
    MonthReport report =
        Evidence.utc(2025, 7)
            .window("june", "2025-06-28T07:00:00Z", "2025-07-01T00:00:00Z", null)
            .window("august", "2025-08-01T00:00:00Z", "2025-08-01T01:00:00Z", null)
            .evaluate()
            .report();
    assertEquals(List.of(), report.maintenanceWindows());
    assertEquals(List.of(), report.flags());
  }
}
