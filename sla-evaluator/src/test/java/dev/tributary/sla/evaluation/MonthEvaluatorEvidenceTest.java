package dev.tributary.sla.evaluation;

import static dev.tributary.sla.evaluation.Evidence.at;
import static dev.tributary.sla.evaluation.Evidence.verdictAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLA §1 minute verdicts from probes and request counts, §2 exclusions, and pending minutes. */
class MonthEvaluatorEvidenceTest {

  private static MinuteVerdict verdict(
      Verdict verdict, String minute, String reason, String detail) {
    return new MinuteVerdict(at(minute), verdict, reason, detail);
  }

  @Test
  void errorRateNeedsTwentyValidRequestsAndFivePercent() {
    MonthEvaluation evaluation =
        Evidence.utc(2025, 7)
            // 19 valid, all 5xx: below 20 valid requests the rate says nothing -> available.
            .requests("2025-07-03T10:00:00Z", 19, 0, 0, 19)
            // 20 valid, 1 failed: 1 * 100 = 100 >= 5 * 20 = 100 -> unavailable.
            .requests("2025-07-03T10:01:00Z", 20, 0, 0, 1)
            // 40 requests - 20 throttled = 20 valid, 1 failed = 5% -> unavailable.
            .requests("2025-07-03T10:02:00Z", 40, 0, 20, 1)
            // 21 valid, 1 failed: 100 < 105 -> available.
            .requests("2025-07-03T10:03:00Z", 21, 0, 0, 1)
            // 45 - 10 other 4xx - 15 throttled = 20 valid, 1 failed -> unavailable.
            .requests("2025-07-03T10:04:00Z", 45, 10, 15, 1)
            // 40 - 30 - 30 < 0 -> 0 valid -> available.
            .requests("2025-07-03T10:05:00Z", 40, 30, 30, 0)
            // Two counts of one minute are summed: 20 valid, 2 failed = 10% -> unavailable.
            .requests("2025-07-03T10:06:00Z", 10, 0, 0, 1)
            .requests("2025-07-03T10:06:00Z", 10, 0, 0, 1)
            .evaluate();
    assertEquals(
        verdict(Verdict.AVAILABLE, "2025-07-03T10:00:00Z", null, null),
        verdictAt(evaluation, "2025-07-03T10:00:00Z"));
    assertEquals(
        verdict(
            Verdict.UNAVAILABLE,
            "2025-07-03T10:01:00Z",
            "ERROR_RATE",
            "1 of 20 valid requests failed with 5xx"),
        verdictAt(evaluation, "2025-07-03T10:01:00Z"));
    assertEquals(
        "1 of 20 valid requests failed with 5xx",
        verdictAt(evaluation, "2025-07-03T10:02:00Z").detail());
    assertEquals(Verdict.AVAILABLE, verdictAt(evaluation, "2025-07-03T10:03:00Z").verdict());
    assertEquals(Verdict.UNAVAILABLE, verdictAt(evaluation, "2025-07-03T10:04:00Z").verdict());
    assertEquals(Verdict.AVAILABLE, verdictAt(evaluation, "2025-07-03T10:05:00Z").verdict());
    assertEquals(
        "2 of 20 valid requests failed with 5xx",
        verdictAt(evaluation, "2025-07-03T10:06:00Z").detail());
    MonthReport report = evaluation.report();
    // Unavailable: 10:01, 10:02, 10:04, 10:06.
    assertEquals(4, report.unavailableMinutes());
    assertEquals(
        List.of("ERROR_RATE", "ERROR_RATE", "ERROR_RATE", "ERROR_RATE"),
        report.unavailable().stream().map(UnavailableMinute::reason).toList());
    // 44,640 - 7 minutes with counts = 44,633 without data.
    assertEquals(44_633, report.noDataMinutes());
  }

  @Test
  void probeMinuteIsUnavailableOnlyWhenEveryProbeOfAnEndpointFailed() {
    List<ProbeMinute> probes =
        ProbeMinute.fromResults(
            List.of(
                // 10:10: track's only result failed, page passed -> unavailable.
                new ProbeResult(at("2025-07-03T10:10:05Z"), "track", false),
                new ProbeResult(at("2025-07-03T10:10:06Z"), "page", true),
                // 10:11: track failed then its retry passed -> available.
                new ProbeResult(at("2025-07-03T10:11:05Z"), "track", false),
                new ProbeResult(at("2025-07-03T10:11:35Z"), "track", true),
                // 10:12: track and page failed, identify passed -> unavailable, both named.
                new ProbeResult(at("2025-07-03T10:12:59.999Z"), "track", false),
                new ProbeResult(at("2025-07-03T10:12:00Z"), "page", false),
                new ProbeResult(at("2025-07-03T10:12:01Z"), "identify", true)));
    MonthEvaluation evaluation = Evidence.utc(2025, 7).probes(probes).evaluate();
    assertEquals(
        verdict(
            Verdict.UNAVAILABLE,
            "2025-07-03T10:10:00Z",
            "PROBES_FAILED",
            "every probe of track failed"),
        verdictAt(evaluation, "2025-07-03T10:10:00Z"));
    assertEquals(
        verdict(Verdict.AVAILABLE, "2025-07-03T10:11:00Z", null, null),
        verdictAt(evaluation, "2025-07-03T10:11:00Z"));
    assertEquals(
        "every probe of page, track failed",
        verdictAt(evaluation, "2025-07-03T10:12:00Z").detail());
    assertEquals(2, evaluation.report().unavailableMinutes());
  }

  @Test
  void fromResultsGroupsByMinuteInOrder() {
    List<ProbeMinute> minutes =
        ProbeMinute.fromResults(
            List.of(
                new ProbeResult(at("2025-07-03T10:11:00Z"), "track", true),
                new ProbeResult(at("2025-07-03T10:10:30Z"), "track", false),
                new ProbeResult(at("2025-07-03T10:10:45Z"), "page", false),
                new ProbeResult(at("2025-07-03T10:10:50Z"), "page", false)));
    assertEquals(2, minutes.size());
    assertEquals(at("2025-07-03T10:10:00Z"), minutes.get(0).minute());
    assertEquals(List.of("page", "track"), List.copyOf(minutes.get(0).failedEndpoints()));
    assertEquals(at("2025-07-03T10:11:00Z"), minutes.get(1).minute());
    assertTrue(minutes.get(1).failedEndpoints().isEmpty());
  }

  @Test
  void probesAndErrorRateTogetherReportProbesAndMentionBoth() {
    MonthEvaluation evaluation =
        Evidence.utc(2025, 7)
            .probesFailed("2025-07-03T10:13:00Z", "track")
            .requests("2025-07-03T10:13:00Z", 20, 0, 0, 1)
            // Two probe minutes for one minute are united: page failed in the second.
            .probesOk("2025-07-03T10:14:00Z")
            .probesFailed("2025-07-03T10:14:00Z", "page")
            .evaluate();
    assertEquals(
        verdict(
            Verdict.UNAVAILABLE,
            "2025-07-03T10:13:00Z",
            "PROBES_FAILED",
            "every probe of track failed; 1 of 20 valid requests failed with 5xx"),
        verdictAt(evaluation, "2025-07-03T10:13:00Z"));
    assertEquals("PROBES_FAILED", verdictAt(evaluation, "2025-07-03T10:14:00Z").reason());
  }

  @Test
  void declaredExclusionsByCategory() {
    // July 2025 UTC.
    //   fm  FORCE_MAJEURE     10:00-10:30 -> 30 (its failed probe at 10:05 stays excluded)
    //   dos DENIAL_OF_SERVICE 10:20-11:00 -> 10:20-10:29 belongs to the earlier fm, so 30
    //   cc  CUSTOMER_CAUSED   00:00:30-00:01:30 on Jul 20 touches minutes 00:00 and 00:01 -> 2
    //   a-tie INTERNET_PROBLEM and b-tie THIRD_PARTY_OUTAGE both Jul 25 00:00-00:10: the tie goes
    //   to id order, a-tie 10, b-tie 0 (listed, but no THIRD_PARTY_OUTAGE key).
    //   june (June only) is not reported.
    // Excluded 30 + 30 + 2 + 10 = 72; eligible 44,640 - 72 = 44,568.
    MonthEvaluation evaluation =
        Evidence.utc(2025, 7)
            .exclusion(
                "dos",
                "2025-07-03T10:20:00Z",
                "2025-07-03T11:00:00Z",
                ExclusionCategory.DENIAL_OF_SERVICE)
            .exclusion(
                "fm",
                "2025-07-03T10:00:00Z",
                "2025-07-03T10:30:00Z",
                ExclusionCategory.FORCE_MAJEURE)
            .exclusion(
                "cc",
                "2025-07-20T00:00:30Z",
                "2025-07-20T00:01:30Z",
                ExclusionCategory.CUSTOMER_CAUSED)
            .exclusion(
                "b-tie",
                "2025-07-25T00:00:00Z",
                "2025-07-25T00:10:00Z",
                ExclusionCategory.THIRD_PARTY_OUTAGE)
            .exclusion(
                "a-tie",
                "2025-07-25T00:00:00Z",
                "2025-07-25T00:10:00Z",
                ExclusionCategory.INTERNET_PROBLEM)
            .exclusion(
                "june",
                "2025-06-01T00:00:00Z",
                "2025-06-02T00:00:00Z",
                ExclusionCategory.FORCE_MAJEURE)
            .probesFailed("2025-07-03T10:05:00Z", "track")
            .evaluate();
    MonthReport report = evaluation.report();
    assertEquals(72, report.excludedMinutes());
    assertEquals(
        Map.of(
            "CUSTOMER_CAUSED", 2L,
            "DENIAL_OF_SERVICE", 30L,
            "FORCE_MAJEURE", 30L,
            "INTERNET_PROBLEM", 10L),
        report.excludedByCategory());
    assertEquals(
        List.of("CUSTOMER_CAUSED", "DENIAL_OF_SERVICE", "FORCE_MAJEURE", "INTERNET_PROBLEM"),
        List.copyOf(report.excludedByCategory().keySet()));
    assertEquals(0, report.maintenanceExcludedMinutes());
    assertEquals(44_568, report.eligibleMinutes());
    assertEquals(0, report.unavailableMinutes());
    assertEquals(
        List.of("fm", "dos", "cc", "a-tie", "b-tie"),
        report.exclusions().stream().map(ExclusionOutcome::id).toList());
    assertEquals(
        List.of(30L, 30L, 2L, 10L, 0L),
        report.exclusions().stream().map(ExclusionOutcome::excludedMinutes).toList());
    assertEquals(
        new ExclusionOutcome(
            "fm",
            at("2025-07-03T10:00:00Z"),
            at("2025-07-03T10:30:00Z"),
            "FORCE_MAJEURE",
            "reason of fm",
            "ops@example.com",
            30),
        report.exclusions().get(0));
    assertEquals(
        verdict(
            Verdict.EXCLUDED,
            "2025-07-03T10:05:00Z",
            "FORCE_MAJEURE",
            "exclusion fm: reason of fm"),
        verdictAt(evaluation, "2025-07-03T10:05:00Z"));
    assertEquals("FORCE_MAJEURE", verdictAt(evaluation, "2025-07-03T10:29:00Z").reason());
    assertEquals("DENIAL_OF_SERVICE", verdictAt(evaluation, "2025-07-03T10:30:00Z").reason());
    assertEquals(Verdict.NO_DATA, verdictAt(evaluation, "2025-07-20T00:02:00Z").verdict());
  }

  @Test
  void scheduledMaintenanceWinsOverADeclaredExclusion() {
    // Noticed window 07:00Z-08:00Z on Sat Jul 12 (60); emergency exclusion 07:30Z-08:30Z gets
    // only the 30 minutes after the window.
    MonthReport report =
        Evidence.utc(2025, 7)
            .window("m1", "2025-07-12T07:00:00Z", "2025-07-12T08:00:00Z", "2025-07-07T17:00:00Z")
            .exclusion(
                "em",
                "2025-07-12T07:30:00Z",
                "2025-07-12T08:30:00Z",
                ExclusionCategory.EMERGENCY_MAINTENANCE)
            .evaluate()
            .report();
    assertEquals(
        Map.of("EMERGENCY_MAINTENANCE", 30L, "SCHEDULED_MAINTENANCE", 60L),
        report.excludedByCategory());
    assertEquals(30, report.exclusions().get(0).excludedMinutes());
    assertEquals(90, report.excludedMinutes());
  }

  @Test
  void minutesNotOverAsOfArePendingUnlessExcluded() {
    // asOf 2025-07-10T12:00:30Z: the minute 12:00 is not over, so it and every later one is
    // pending. Past minutes: 9 days * 1,440 + 12 * 60 = 13,680; the other 44,640 - 13,680 = 30,960
    // are pending, less the future minutes already known to be excluded: a noticed window Jul 19
    // 07:00Z-08:00Z (60) and an exclusion Jul 25 00:00Z-00:30Z (30) -> 30,870 pending.
    // The failed probe at 11:59 counts; the one at 12:00 is pending. Excluded 90, eligible 44,550,
    // available 44,549 (pending counts as available); 44,549 * 100 / 44,550 = 99.99775...
    // -> "99.997755".
    MonthEvaluation evaluation =
        Evidence.utc(2025, 7)
            .asOf("2025-07-10T12:00:30Z")
            .probesFailed("2025-07-10T11:59:00Z", "track")
            .probesFailed("2025-07-10T12:00:00Z", "track")
            .window("m1", "2025-07-19T07:00:00Z", "2025-07-19T08:00:00Z", "2025-07-07T17:00:00Z")
            .exclusion(
                "fm",
                "2025-07-25T00:00:00Z",
                "2025-07-25T00:30:00Z",
                ExclusionCategory.FORCE_MAJEURE)
            .evaluate();
    MonthReport report = evaluation.report();
    assertEquals(30_870, report.pendingMinutes());
    assertFalse(report.complete());
    assertEquals(90, report.excludedMinutes());
    assertEquals(1, report.unavailableMinutes());
    assertEquals(44_549, report.availableMinutes());
    assertEquals("99.997755", report.availabilityPercent());
    // 13,680 past minutes - 1 with probes (11:59; 12:00 is pending) = 13,679 without data.
    assertEquals(13_679, report.noDataMinutes());
    MinuteVerdict pending = verdictAt(evaluation, "2025-07-10T12:00:00Z");
    assertEquals(Verdict.PENDING, pending.verdict());
    assertNull(pending.reason());
    assertEquals(Verdict.EXCLUDED, verdictAt(evaluation, "2025-07-19T07:00:00Z").verdict());
    assertEquals(Verdict.EXCLUDED, verdictAt(evaluation, "2025-07-25T00:00:00Z").verdict());
  }

  @Test
  void asOfOnAMinuteBoundaryLeavesThePreviousMinuteOver() {
    // asOf 12:00:00Z: 11:59 + 1 min = 12:00 is not after asOf -> over; 12:00 -> pending.
    MonthEvaluation evaluation = Evidence.utc(2025, 7).asOf("2025-07-10T12:00:00Z").evaluate();
    assertEquals(Verdict.NO_DATA, verdictAt(evaluation, "2025-07-10T11:59:00Z").verdict());
    assertEquals(Verdict.PENDING, verdictAt(evaluation, "2025-07-10T12:00:00Z").verdict());
    assertEquals(30_960, evaluation.report().pendingMinutes());
  }

  @Test
  void asOfAfterTheMonthLeavesNothingPending() {
    MonthReport report = Evidence.utc(2025, 7).asOf("2025-08-01T00:00:00Z").evaluate().report();
    assertEquals(0, report.pendingMinutes());
    assertTrue(report.complete());
  }

  @Test
  void evidenceOutsideTheMonthIsIgnored() {
    MonthReport report =
        Evidence.utc(2025, 7)
            .probesFailed("2025-06-30T23:59:00Z", "track")
            .probesFailed("2025-08-01T00:00:00Z", "track")
            .requests("2025-08-01T00:00:00Z", 20, 0, 0, 20)
            .evaluate()
            .report();
    assertEquals(0, report.unavailableMinutes());
    assertEquals(44_640, report.noDataMinutes());
  }
}
