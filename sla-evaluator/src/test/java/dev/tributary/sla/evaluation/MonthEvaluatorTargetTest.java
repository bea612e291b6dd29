package dev.tributary.sla.evaluation;

import static dev.tributary.sla.evaluation.Evidence.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLA §1 month bounds and the 99.99% target at its 4/5-unavailable-minute boundary. */
class MonthEvaluatorTargetTest {

  /** {@code count} minutes with every probe of "track" failed, from the given minute on. */
  private static Evidence failing(Evidence evidence, String firstMinute, int count) {
    for (int i = 0; i < count; i++) {
      evidence.probesFailed(at(firstMinute).plusSeconds(60L * i).toString(), "track");
    }
    return evidence;
  }

  @Test
  void thirtyDayMonthPassesWithFourUnavailableMinutes() {
    // June 2025 UTC: 30 * 1,440 = 43,200 minutes. 4 unavailable: 4 * 10,000 = 40,000 <= 43,200.
    // 43,196 * 100 / 43,200 = 99.9907407... -> "99.990740". Budget 43,200 / 10,000 = 4, left 0.
    MonthReport report =
        failing(Evidence.utc(2025, 6), "2025-06-10T10:00:00Z", 4).evaluate().report();
    assertEquals(43_200, report.totalMinutes());
    assertEquals(4, report.unavailableMinutes());
    assertEquals(43_196, report.availableMinutes());
    assertEquals("99.990740", report.availabilityPercent());
    assertEquals("99.99", report.targetPercent());
    assertTrue(report.targetMet());
    assertEquals(4, report.errorBudgetMinutes());
    assertEquals(0, report.errorBudgetRemainingMinutes());
  }

  @Test
  void thirtyDayMonthFailsWithFiveUnavailableMinutes() {
    // 5 * 10,000 = 50,000 > 43,200. 43,195 * 100 / 43,200 = 99.9884259... -> "99.988425".
    MonthReport report =
        failing(Evidence.utc(2025, 6), "2025-06-10T10:00:00Z", 5).evaluate().report();
    assertEquals(5, report.unavailableMinutes());
    assertEquals("99.988425", report.availabilityPercent());
    assertFalse(report.targetMet());
    assertEquals(-1, report.errorBudgetRemainingMinutes());
  }

  @Test
  void twentyEightDayMonthBoundary() {
    // February 2026 UTC: 28 * 1,440 = 40,320 minutes. 4: 40,000 <= 40,320 passes,
    // 40,316 * 100 / 40,320 = 99.9900793... -> "99.990079". 5: 50,000 > 40,320 fails,
    // 40,315 * 100 / 40,320 = 99.9875992... -> "99.987599".
    MonthReport four =
        failing(Evidence.utc(2026, 2), "2026-02-01T00:00:00Z", 4).evaluate().report();
    assertEquals(40_320, four.totalMinutes());
    assertEquals("99.990079", four.availabilityPercent());
    assertTrue(four.targetMet());
    MonthReport five =
        failing(Evidence.utc(2026, 2), "2026-02-01T00:00:00Z", 5).evaluate().report();
    assertEquals("99.987599", five.availabilityPercent());
    assertFalse(five.targetMet());
  }

  @Test
  void thirtyOneDayMonthBoundary() {
    // July 2025 UTC: 31 * 1,440 = 44,640 minutes. 4: 40,000 <= 44,640 passes,
    // 44,636 * 100 / 44,640 = 99.9910394... -> "99.991039". 5: 50,000 > 44,640 fails,
    // 44,635 * 100 / 44,640 = 99.9887992... -> "99.988799". The last minute 23:59 counts.
    MonthReport four =
        failing(Evidence.utc(2025, 7), "2025-07-31T23:56:00Z", 4).evaluate().report();
    assertEquals(44_640, four.totalMinutes());
    assertEquals(4, four.unavailableMinutes());
    assertEquals("99.991039", four.availabilityPercent());
    assertTrue(four.targetMet());
    MonthReport five =
        failing(Evidence.utc(2025, 7), "2025-07-31T23:55:00Z", 5).evaluate().report();
    assertEquals("99.988799", five.availabilityPercent());
    assertFalse(five.targetMet());
  }

  @Test
  void springForwardMonthInLosAngelesHas44580Minutes() {
    // March 2025 PT: starts 00:00 PST (UTC-8) = 08:00Z, ends April 1 00:00 PDT (UTC-7) = 07:00Z.
    // 31 * 1,440 - 60 = 44,580 minutes. 5 unavailable: 50,000 > 44,580 fails;
    // 44,575 * 100 / 44,580 = 99.9887842... -> "99.988784".
    // The failure at 07:59Z on March 1 is February's (23:59 PST) and is ignored.
    Evidence evidence =
        failing(Evidence.in(Evidence.LOS_ANGELES, 2025, 3), "2025-03-01T08:00:00Z", 5)
            .probesFailed("2025-03-01T07:59:00Z", "track")
            .probesFailed("2025-04-01T07:00:00Z", "track");
    MonthEvaluation evaluation = evidence.evaluate();
    MonthReport report = evaluation.report();
    assertEquals("2025-03", report.month());
    assertEquals("America/Los_Angeles", report.timeZone());
    assertEquals(at("2025-03-01T08:00:00Z"), report.periodStart());
    assertEquals(at("2025-04-01T07:00:00Z"), report.periodEnd());
    assertEquals(44_580, report.totalMinutes());
    assertEquals(44_580, evaluation.ledger().size());
    assertEquals(at("2025-03-01T08:00:00Z"), evaluation.ledger().get(0).minute());
    assertEquals(at("2025-04-01T06:59:00Z"), evaluation.ledger().get(44_579).minute());
    assertEquals(5, report.unavailableMinutes());
    assertEquals("99.988784", report.availabilityPercent());
    assertFalse(report.targetMet());
  }

  @Test
  void fallBackMonthInLosAngelesHas43260Minutes() {
    // November 2025 PT: starts 00:00 PDT = 07:00Z, ends December 1 00:00 PST = 08:00Z.
    // 30 * 1,440 + 60 = 43,260 minutes. 4 unavailable: 40,000 <= 43,260 passes;
    // 43,256 * 100 / 43,260 = 99.9907535... -> "99.990753". Budget 43,260 / 10,000 = 4.
    MonthEvaluation evaluation =
        failing(Evidence.in(Evidence.LOS_ANGELES, 2025, 11), "2025-12-01T07:56:00Z", 4).evaluate();
    MonthReport report = evaluation.report();
    assertEquals(at("2025-11-01T07:00:00Z"), report.periodStart());
    assertEquals(at("2025-12-01T08:00:00Z"), report.periodEnd());
    assertEquals(43_260, report.totalMinutes());
    assertEquals(at("2025-12-01T07:59:00Z"), evaluation.ledger().get(43_259).minute());
    assertEquals(4, report.unavailableMinutes());
    assertEquals("99.990753", report.availabilityPercent());
    assertTrue(report.targetMet());
    assertEquals(4, report.errorBudgetMinutes());
  }

  @Test
  void minutesWithoutEvidenceAreNoDataAndCountAsAvailable() {
    // July 2025 UTC, 44,640 minutes: one failed minute, one passing minute, 44,638 without data.
    MonthEvaluation evaluation =
        Evidence.utc(2025, 7)
            .probesFailed("2025-07-02T00:00:00Z", "track")
            .probesOk("2025-07-02T00:01:00Z")
            .evaluate();
    MonthReport report = evaluation.report();
    assertEquals(44_638, report.noDataMinutes());
    assertEquals(44_639, report.availableMinutes());
    assertEquals(0, report.pendingMinutes());
    assertTrue(report.complete());
    MinuteVerdict noData = Evidence.verdictAt(evaluation, "2025-07-02T00:02:00Z");
    assertEquals(Verdict.NO_DATA, noData.verdict());
    assertEquals("NO_DATA", noData.reason());
    assertEquals(
        Verdict.AVAILABLE, Evidence.verdictAt(evaluation, "2025-07-02T00:01:00Z").verdict());
    assertEquals(
        List.of(
            new UnavailableMinute(
                at("2025-07-02T00:00:00Z"), "PROBES_FAILED", "every probe of track failed")),
        report.unavailable());
  }

  @Test
  void wholeMonthExcludedGivesHundredPercent() {
    // Eligible 0: nothing to measure, "100.000000", target met (0 * 10,000 <= 0), budget 0.
    MonthReport report =
        Evidence.utc(2025, 6)
            .exclusion(
                "fm",
                "2025-05-20T00:00:00Z",
                "2025-07-02T00:00:00Z",
                ExclusionCategory.FORCE_MAJEURE)
            .probesFailed("2025-06-03T00:00:00Z", "track")
            .evaluate()
            .report();
    assertEquals(43_200, report.excludedMinutes());
    assertEquals(Map.of("FORCE_MAJEURE", 43_200L), report.excludedByCategory());
    assertEquals(0, report.eligibleMinutes());
    assertEquals(0, report.unavailableMinutes());
    assertEquals("100.000000", report.availabilityPercent());
    assertTrue(report.targetMet());
    assertEquals(0, report.errorBudgetMinutes());
  }
}
