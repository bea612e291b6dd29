package dev.tributary.sla.evaluation;

import static dev.tributary.sla.evaluation.Evidence.at;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SLA §3 preferred maintenance hours: Friday 18:00 to Monday 03:00 Pacific. */
class WeekendWindowTest {

  private static boolean inside(String start, String end) {
    return MonthEvaluator.insideWeekendWindow(at(start), at(end));
  }

  @Test
  void wholeSummerWeekendIsInside() {
    // Fri 2025-07-11 18:00 PDT = 2025-07-12T01:00Z; Mon 2025-07-14 03:00 PDT = 10:00Z.
    assertTrue(inside("2025-07-12T01:00:00Z", "2025-07-14T10:00:00Z"));
    assertFalse(inside("2025-07-12T01:00:00Z", "2025-07-14T10:01:00Z"));
  }

  @Test
  void fridayBeforeSixIsOutside() {
    // Fri 17:00 PDT start.
    assertFalse(inside("2025-07-12T00:00:00Z", "2025-07-12T02:00:00Z"));
    // Fri 10:00-11:00 PDT belongs to no weekend.
    assertFalse(inside("2025-07-11T17:00:00Z", "2025-07-11T18:00:00Z"));
  }

  @Test
  void saturdayAndEarlyMondayBelongToThePreviousFriday() {
    // Sat 2025-07-12 00:00 PDT to Sun 23:00 PDT.
    assertTrue(inside("2025-07-12T07:00:00Z", "2025-07-14T06:00:00Z"));
    // Mon 02:00-03:00 PDT.
    assertTrue(inside("2025-07-14T09:00:00Z", "2025-07-14T10:00:00Z"));
    // Mon 04:00-05:00 PDT, Tue 01:00-02:00 PDT, and Sunday into Tuesday.
    assertFalse(inside("2025-07-14T11:00:00Z", "2025-07-14T12:00:00Z"));
    assertFalse(inside("2025-07-15T08:00:00Z", "2025-07-15T09:00:00Z"));
    assertFalse(inside("2025-07-13T20:00:00Z", "2025-07-15T08:00:00Z"));
  }

  @Test
  void fallBackWeekendEndsAtThreeInTheMorningStandardTime() {
    // Fri 2025-10-31 18:00 PDT = 2025-11-01T01:00Z; clocks go back Sun Nov 2;
    // Mon 2025-11-03 03:00 PST = 11:00Z (a fixed PDT offset would say 10:00Z).
    assertTrue(inside("2025-11-01T01:00:00Z", "2025-11-03T11:00:00Z"));
    assertTrue(inside("2025-11-02T20:00:00Z", "2025-11-03T10:30:00Z"));
    assertFalse(inside("2025-11-01T01:00:00Z", "2025-11-03T11:01:00Z"));
    assertFalse(inside("2025-11-01T00:59:00Z", "2025-11-01T02:00:00Z"));
  }

  @Test
  void springForwardWeekendEndsAtThreeInTheMorningDaylightTime() {
    // Fri 2025-03-07 18:00 PST = 2025-03-08T02:00Z; clocks go forward Sun Mar 9;
    // Mon 2025-03-10 03:00 PDT = 10:00Z (a fixed PST offset would say 11:00Z).
    assertTrue(inside("2025-03-08T02:00:00Z", "2025-03-10T10:00:00Z"));
    assertFalse(inside("2025-03-08T02:00:00Z", "2025-03-10T10:30:00Z"));
    assertFalse(inside("2025-03-08T01:59:00Z", "2025-03-08T03:00:00Z"));
  }
}
