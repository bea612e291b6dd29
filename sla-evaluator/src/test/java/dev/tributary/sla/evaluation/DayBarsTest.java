package dev.tributary.sla.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status pages' days and incidents from a ledger's runs (issue 13). */
class DayBarsTest {

  static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

  static Ledger.Run run(String start, int minutes, Verdict verdict, String reason, String detail) {
    return new Ledger.Run(Instant.parse(start), minutes, verdict, reason, detail);
  }

  @Test
  void aRunAcrossMidnightIsCountedOnBothDaysOfTheZone() {
    // 06:50-07:10 UTC on 10 March 2026 is 23:50-00:10 PDT: 10 minutes on the 9th, 10 on the 10th.
    List<Ledger.Run> runs =
        List.of(
            run("2026-03-10T06:50:00Z", 20, Verdict.UNAVAILABLE, "PROBES_FAILED", "track failed"),
            run("2026-03-10T07:10:00Z", 5, Verdict.EXCLUDED, "SCHEDULED_MAINTENANCE", "w"),
            run("2026-03-10T07:15:00Z", 5, Verdict.EXCLUDED, "FORCE_MAJEURE", "x"),
            run("2026-03-10T07:20:00Z", 5, Verdict.NO_DATA, "NO_DATA", "none"));
    List<DayBars.Day> days =
        DayBars.days(runs, PACIFIC, LocalDate.parse("2026-03-09"), LocalDate.parse("2026-03-11"));
    assertEquals(3, days.size());
    DayBars.Day ninth = days.get(0);
    assertEquals(10, ninth.unavailableMinutes());
    assertEquals(10, ninth.minutesKnown());
    assertEquals(List.of("track failed"), ninth.reasons());
    DayBars.Day tenth = days.get(1);
    assertEquals(10, tenth.unavailableMinutes());
    assertEquals(5, tenth.maintenanceMinutes());
    assertEquals(5, tenth.excludedMinutes());
    assertEquals(5, tenth.noDataMinutes());
    assertEquals(25, tenth.minutesKnown());
    assertEquals(
        java.util.Map.of("SCHEDULED_MAINTENANCE", 5L, "FORCE_MAJEURE", 5L),
        tenth.excludedByReason());
    assertEquals(0, days.get(2).minutesKnown());
  }

  @Test
  void theDstDayHas23HoursOfMinutes() {
    // 8 March 2026 in Los Angeles: 00:00 PST (08:00Z) to 00:00 PDT on the 9th (07:00Z).
    List<Ledger.Run> runs =
        List.of(run("2026-03-08T00:00:00Z", 2 * 1440, Verdict.AVAILABLE, null, null));
    List<DayBars.Day> days =
        DayBars.days(runs, PACIFIC, LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-08"));
    assertEquals(23 * 60, days.get(0).minutesKnown());
  }

  @Test
  void adjacentUnavailableRunsAreOneIncidentWithTheirReasons() {
    List<Ledger.Run> runs =
        List.of(
            run("2026-03-10T14:00:00Z", 3, Verdict.UNAVAILABLE, "PROBES_FAILED", "a"),
            run("2026-03-10T14:03:00Z", 2, Verdict.UNAVAILABLE, "PROBES_FAILED", "b"),
            run("2026-03-10T14:05:00Z", 1, Verdict.UNAVAILABLE, "PROBES_FAILED", "c"),
            run("2026-03-10T14:06:00Z", 1, Verdict.UNAVAILABLE, "ERROR_RATE", "d"),
            run("2026-03-10T14:07:00Z", 1, Verdict.AVAILABLE, null, null),
            run("2026-03-10T14:08:00Z", 1, Verdict.UNAVAILABLE, "PROBES_FAILED", "a"));
    List<DayBars.Incident> incidents = DayBars.incidents(runs);
    assertEquals(2, incidents.size());
    DayBars.Incident first = incidents.get(0);
    assertEquals(Instant.parse("2026-03-10T14:00:00Z"), first.start());
    assertEquals(Instant.parse("2026-03-10T14:07:00Z"), first.end());
    assertEquals(7, first.minutes());
    assertEquals(List.of("a", "b", "c"), first.reasons());
    assertEquals(1, first.more());
    assertEquals(1, incidents.get(1).minutes());
  }
}
