package dev.tributary.sla.evaluation;

import static dev.tributary.sla.evaluation.Evidence.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SLA §4 Special Termination Right. */
class TerminationRightEvaluatorTest {

  private static final ZoneId LA = Evidence.LOS_ANGELES;

  private static YearMonth ym(String month) {
    return YearMonth.parse(month);
  }

  /** The twelve months of 2025; the failed ones carry the given notices (null: none sent). */
  private static List<MonthOutcome> year2025(Object... failedAndNotice) {
    List<MonthOutcome> months = new ArrayList<>();
    for (int m = 1; m <= 12; m++) {
      months.add(new MonthOutcome(YearMonth.of(2025, m), true, null));
    }
    for (int i = 0; i < failedAndNotice.length; i += 2) {
      YearMonth month = ym((String) failedAndNotice[i]);
      String notice = (String) failedAndNotice[i + 1];
      months.set(
          month.getMonthValue() - 1,
          new MonthOutcome(month, false, notice == null ? null : at(notice)));
    }
    return months;
  }

  private static TerminationRightStatus evaluate(
      List<MonthOutcome> months, String asOf, String exercisedAt) {
    Instant exercised = exercisedAt == null ? null : at(exercisedAt);
    return TerminationRightEvaluator.evaluate(months, at(asOf), exercised, LA);
  }

  @Test
  void twoConsecutiveMonths() {
    // March's notice Wed 2025-04-02 09:00 PDT (16:00Z); deadline 30 days later, May 2 09:00 PDT.
    TerminationRightStatus status =
        evaluate(
            year2025("2025-02", "2025-03-04T17:00:00Z", "2025-03", "2025-04-02T16:00:00Z"),
            "2025-04-10T00:00:00Z",
            null);
    Trigger trigger =
        new Trigger(
            ym("2025-03"),
            "TWO_CONSECUTIVE_MONTHS",
            List.of(ym("2025-02"), ym("2025-03")),
            at("2025-04-02T16:00:00Z"),
            at("2025-05-02T16:00:00Z"),
            "AVAILABLE");
    assertEquals(
        new TerminationRightStatus(
            "AVAILABLE",
            List.of(ym("2025-02"), ym("2025-03")),
            at("2025-04-02T16:00:00Z"),
            at("2025-05-02T16:00:00Z"),
            null,
            List.of(trigger)),
        status);
  }

  @Test
  void deadlineKeepsTheLocalTimeAcrossTheClockChange() {
    // Aware Mon 2025-10-20 09:00 PDT (16:00Z); 30 days later is Wed Nov 19 09:00 PST = 17:00Z.
    TerminationRightStatus status =
        evaluate(
            year2025("2025-09", null, "2025-10", "2025-10-20T16:00:00Z"),
            "2025-10-21T00:00:00Z",
            null);
    assertEquals(at("2025-11-19T17:00:00Z"), status.deadline());
  }

  @Test
  void threeOfSixMonthsCompletedByJune() {
    // Failures Jan, Mar, Jun: Jan alone; Mar has Jan, Mar in Oct-Mar (2); Jun has Jan, Mar, Jun in
    // Jan-Jun (3). June's notice Thu 2025-07-03 10:00 PDT; deadline Sat Aug 2 10:00 PDT.
    TerminationRightStatus status =
        evaluate(
            year2025(
                "2025-01", "2025-02-03T17:00:00Z",
                "2025-03", "2025-04-02T16:00:00Z",
                "2025-06", "2025-07-03T17:00:00Z"),
            "2025-07-10T00:00:00Z",
            null);
    assertEquals(
        List.of(
            new Trigger(
                ym("2025-06"),
                "THREE_OF_SIX_MONTHS",
                List.of(ym("2025-01"), ym("2025-03"), ym("2025-06")),
                at("2025-07-03T17:00:00Z"),
                at("2025-08-02T17:00:00Z"),
                "AVAILABLE")),
        status.triggers());
    assertEquals("AVAILABLE", status.status());
    assertEquals(List.of(ym("2025-01"), ym("2025-03"), ym("2025-06")), status.triggeringMonths());
  }

  @Test
  void januaryAprilJulyNeverHaveThreeInSixMonths() {
    // Apr: Nov-Apr holds Jan, Apr (2). Jul: Feb-Jul holds Apr, Jul (2).
    TerminationRightStatus status =
        evaluate(
            year2025(
                "2025-01", "2025-02-03T17:00:00Z",
                "2025-04", "2025-05-02T16:00:00Z",
                "2025-07", "2025-08-04T16:00:00Z"),
            "2025-12-01T00:00:00Z",
            null);
    assertEquals(
        new TerminationRightStatus("NONE", List.of(), null, null, null, List.of()), status);
  }

  @Test
  void januaryAprilJuneAreThreeInSixMonths() {
    // Jun: Jan-Jun holds Jan, Apr, Jun.
    TerminationRightStatus status =
        evaluate(
            year2025(
                "2025-01", "2025-02-03T17:00:00Z",
                "2025-04", "2025-05-02T16:00:00Z",
                "2025-06", "2025-07-03T17:00:00Z"),
            "2025-07-10T00:00:00Z",
            null);
    assertEquals("THREE_OF_SIX_MONTHS", status.triggers().get(0).rule());
    assertEquals(List.of(ym("2025-01"), ym("2025-04"), ym("2025-06")), status.triggeringMonths());
  }

  @Test
  void waivedOnlyAfterTheDeadline() {
    // Deadline 2025-08-02T17:00Z (see threeOfSixMonthsCompletedByJune).
    List<MonthOutcome> months =
        year2025(
            "2025-01", "2025-02-03T17:00:00Z",
            "2025-03", "2025-04-02T16:00:00Z",
            "2025-06", "2025-07-03T17:00:00Z");
    assertEquals("AVAILABLE", evaluate(months, "2025-08-02T17:00:00Z", null).status());
    TerminationRightStatus waived = evaluate(months, "2025-08-02T17:00:01Z", null);
    assertEquals("WAIVED", waived.status());
    assertEquals(at("2025-08-02T17:00:00Z"), waived.deadline());
  }

  @Test
  void exercisedWithinTheThirtyDays() {
    List<MonthOutcome> months =
        year2025(
            "2025-01", "2025-02-03T17:00:00Z",
            "2025-03", "2025-04-02T16:00:00Z",
            "2025-06", "2025-07-03T17:00:00Z");
    TerminationRightStatus exercised =
        evaluate(months, "2025-07-21T00:00:00Z", "2025-07-20T00:00:00Z");
    assertEquals("EXERCISED", exercised.status());
    assertEquals(at("2025-07-20T00:00:00Z"), exercised.exercisedAt());
    assertEquals("EXERCISED", exercised.triggers().get(0).status());
    // On the deadline itself still counts.
    assertEquals(
        "EXERCISED", evaluate(months, "2025-09-01T00:00:00Z", "2025-08-02T17:00:00Z").status());
    // A second late is a waiver; the late exercise is not reported.
    TerminationRightStatus late = evaluate(months, "2025-09-01T00:00:00Z", "2025-08-02T17:00:01Z");
    assertEquals("WAIVED", late.status());
    assertNull(late.exercisedAt());
    // An exercise after asOf has not happened yet.
    assertEquals(
        "AVAILABLE", evaluate(months, "2025-07-21T00:00:00Z", "2025-07-22T00:00:00Z").status());
  }

  @Test
  void awarenessPendingWithoutNotice() {
    // June (completing) has no notice: aware never, so the right stays available.
    List<MonthOutcome> months = year2025("2025-05", "2025-06-03T16:00:00Z", "2025-06", null);
    TerminationRightStatus status = evaluate(months, "2026-06-01T00:00:00Z", null);
    assertEquals("AVAILABLE", status.status());
    assertNull(status.awareAt());
    assertNull(status.deadline());
    // The right exists from the start of July in Los Angeles: 2025-07-01T07:00Z.
    assertEquals(
        "EXERCISED", evaluate(months, "2026-06-01T00:00:00Z", "2025-07-01T07:00:00Z").status());
    assertEquals(
        "AVAILABLE", evaluate(months, "2026-06-01T00:00:00Z", "2025-07-01T06:59:59Z").status());
  }

  @Test
  void noticeSentAfterAsOfIsNotYetAwareness() {
    List<MonthOutcome> months =
        year2025("2025-05", "2025-06-03T16:00:00Z", "2025-06", "2025-07-03T17:00:00Z");
    TerminationRightStatus status = evaluate(months, "2025-07-02T00:00:00Z", null);
    assertEquals("AVAILABLE", status.status());
    assertNull(status.awareAt());
    assertNull(status.deadline());
  }

  @Test
  void secondTriggerAfterAWaiver() {
    // Jan+Feb: Feb notice Mon 2025-03-03 09:00 PST (17:00Z); deadline Wed Apr 2 09:00 PDT
    // (16:00Z, after the clock change). Jul+Aug: Aug notice Tue 2025-09-02 09:00 PDT (16:00Z);
    // deadline Thu Oct 2 09:00 PDT (16:00Z). Jul alone: Feb-Jul holds Feb, Jul (2), no trigger.
    List<MonthOutcome> months =
        year2025(
            "2025-01", "2025-02-03T17:00:00Z",
            "2025-02", "2025-03-03T17:00:00Z",
            "2025-07", "2025-08-04T16:00:00Z",
            "2025-08", "2025-09-02T16:00:00Z");
    TerminationRightStatus available = evaluate(months, "2025-09-10T00:00:00Z", null);
    assertEquals(
        List.of("WAIVED", "AVAILABLE"),
        available.triggers().stream().map(Trigger::status).toList());
    assertEquals(at("2025-04-02T16:00:00Z"), available.triggers().get(0).deadline());
    assertEquals("AVAILABLE", available.status());
    assertEquals(List.of(ym("2025-07"), ym("2025-08")), available.triggeringMonths());
    assertEquals(at("2025-10-02T16:00:00Z"), available.deadline());

    TerminationRightStatus exercised =
        evaluate(months, "2025-09-20T00:00:00Z", "2025-09-15T00:00:00Z");
    assertEquals("EXERCISED", exercised.status());
    assertEquals(List.of(ym("2025-07"), ym("2025-08")), exercised.triggeringMonths());
    assertEquals(at("2025-09-15T00:00:00Z"), exercised.exercisedAt());
    assertEquals(
        List.of("WAIVED", "EXERCISED"),
        exercised.triggers().stream().map(Trigger::status).toList());
  }

  @Test
  void threeConsecutiveFailuresCompleteTwoTriggers() {
    TerminationRightStatus status =
        evaluate(
            year2025(
                "2025-01", "2025-02-03T17:00:00Z",
                "2025-02", "2025-03-03T17:00:00Z",
                "2025-03", "2025-04-02T16:00:00Z"),
            "2025-04-03T00:00:00Z",
            null);
    assertEquals(
        List.of(List.of(ym("2025-01"), ym("2025-02")), List.of(ym("2025-02"), ym("2025-03"))),
        status.triggers().stream().map(Trigger::months).toList());
    assertEquals(List.of(ym("2025-02"), ym("2025-03")), status.triggeringMonths());
  }

  @Test
  void monthsInAnyOrderButNoDuplicates() {
    List<MonthOutcome> months =
        new ArrayList<>(year2025("2025-02", null, "2025-03", "2025-04-02T16:00:00Z"));
    java.util.Collections.reverse(months);
    assertEquals(
        List.of(ym("2025-02"), ym("2025-03")),
        evaluate(months, "2025-04-10T00:00:00Z", null).triggeringMonths());

    months.add(new MonthOutcome(ym("2025-05"), true, null));
    assertThrows(
        IllegalArgumentException.class, () -> evaluate(months, "2025-04-10T00:00:00Z", null));
  }
}
