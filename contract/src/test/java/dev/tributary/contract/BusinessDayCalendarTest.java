package dev.tributary.contract;

import static dev.tributary.contract.BusinessDayCalendar.MAINTENANCE_NOTICE_BUSINESS_DAYS;
import static dev.tributary.contract.BusinessDayCalendar.PACIFIC;
import static dev.tributary.contract.BusinessDayCalendar.businessDaysStrictlyBetween;
import static dev.tributary.contract.BusinessDayCalendar.earliestQualifyingStartDate;
import static dev.tributary.contract.BusinessDayCalendar.isBusinessDay;
import static dev.tributary.contract.BusinessDayCalendar.meetsLeadTime;
import static dev.tributary.contract.BusinessDayCalendar.pacificDate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BusinessDayCalendarTest {

  private static final int THREE = MAINTENANCE_NOTICE_BUSINESS_DAYS;

  @ParameterizedTest
  @CsvSource({
    "2026-11-27, true", // Friday after Thanksgiving: not a federal holiday
    "2026-11-28, false", // Saturday
    "2026-11-29, false", // Sunday
    "2026-11-30, true", // Monday
    "2026-11-26, false", // Thanksgiving Day
    "2026-07-03, false", // Independence Day observed (the 4th is a Saturday)
    "2026-07-04, false", // Saturday
    "2021-12-31, false", // New Year's Day 2022 observed
    "2026-12-24, true",
  })
  void businessDays(LocalDate date, boolean expected) {
    assertEquals(expected, isBusinessDay(date));
  }

  @Test
  void strictlyBetweenExcludesBothEnds() {
    // Monday to Friday: only Tuesday, Wednesday and Thursday lie between.
    assertEquals(3, businessDaysStrictlyBetween(date("2026-06-01"), date("2026-06-05")));
    assertEquals(0, businessDaysStrictlyBetween(date("2026-06-01"), date("2026-06-01")));
    assertEquals(0, businessDaysStrictlyBetween(date("2026-06-01"), date("2026-06-02")));
    assertEquals(1, businessDaysStrictlyBetween(date("2026-06-01"), date("2026-06-03")));
    assertEquals(0, businessDaysStrictlyBetween(date("2026-06-05"), date("2026-06-01")));
  }

  @Test
  void strictlyBetweenSkipsTheWeekend() {
    // Friday to Wednesday: Saturday, Sunday, Monday, Tuesday lie between.
    assertEquals(2, businessDaysStrictlyBetween(date("2026-06-05"), date("2026-06-10")));
  }

  @Test
  void thanksgivingWeekLeavesTwoBusinessDays() {
    Instant notice = pacific("2026-11-24T09:00"); // Tuesday
    // Wednesday 25, Thursday 26 (Thanksgiving), Friday 27, then the weekend.
    assertEquals(2, businessDaysStrictlyBetween(date("2026-11-24"), date("2026-11-30")));
    assertFalse(meetsLeadTime(notice, pacific("2026-11-30T10:00"), THREE)); // Monday
    assertTrue(meetsLeadTime(notice, pacific("2026-11-30T10:00"), 2));
    assertTrue(meetsLeadTime(notice, pacific("2026-12-01T00:00"), THREE)); // Tuesday
  }

  @Test
  void lateEveningNoticeCountsByItsPacificDate() {
    // Tuesday 21:00 in Los Angeles is already Wednesday in UTC.
    Instant notice = Instant.parse("2026-06-03T04:00:00Z");
    assertEquals(date("2026-06-02"), pacificDate(notice));
    // Wednesday, Thursday, Friday lie between Tuesday and Monday; by the UTC date only two would.
    assertTrue(meetsLeadTime(notice, pacific("2026-06-08T09:00"), THREE));
  }

  @Test
  void pacificMidnightIsTheBoundary() {
    Instant start = pacific("2026-06-08T09:00"); // Monday
    assertTrue(meetsLeadTime(pacific("2026-06-02T23:59:59"), start, THREE)); // Tuesday
    assertFalse(meetsLeadTime(pacific("2026-06-03T00:00"), start, THREE)); // Wednesday
  }

  @Test
  void fridayEveningStartCountsByItsPacificDate() {
    // SLA §3 windows open Friday 18:00 Pacific, which is Saturday in UTC.
    Instant start = Instant.parse("2026-06-06T01:00:00Z");
    assertEquals(date("2026-06-05"), pacificDate(start));
    // Only Wednesday and Thursday lie between Tuesday and that Friday; by the UTC date Friday would
    // count too.
    assertFalse(meetsLeadTime(pacific("2026-06-02T09:00"), start, THREE));
    assertTrue(meetsLeadTime(pacific("2026-06-01T09:00"), start, THREE));
  }

  @Test
  void windowStartingAsDaylightSavingBegins() {
    // 10:00Z on Sunday 2026-03-08 is 03:00 PDT, just after clocks jumped from 02:00 PST.
    Instant start = Instant.parse("2026-03-08T10:00:00Z");
    assertEquals(date("2026-03-08"), pacificDate(start));
    assertTrue(meetsLeadTime(pacific("2026-03-03T12:00"), start, THREE)); // Tue: Wed, Thu, Fri
    assertFalse(meetsLeadTime(pacific("2026-03-04T12:00"), start, THREE)); // Wed: Thu, Fri
    // The offset changes with the zone rules: 00:30 PDT Monday, not 23:30 PST Sunday.
    assertEquals(date("2026-03-09"), pacificDate(Instant.parse("2026-03-09T07:30:00Z")));
    assertEquals(date("2026-03-07"), pacificDate(Instant.parse("2026-03-08T07:30:00Z")));
  }

  @Test
  void windowStartingAsDaylightSavingEnds() {
    // 2026-11-01 01:30 happens twice in Los Angeles: 08:30Z (PDT) and 09:30Z (PST).
    for (String utc : new String[] {"2026-11-01T08:30:00Z", "2026-11-01T09:30:00Z"}) {
      Instant start = Instant.parse(utc);
      assertEquals(date("2026-11-01"), pacificDate(start), utc);
      assertTrue(meetsLeadTime(pacific("2026-10-27T12:00"), start, THREE), utc); // Tuesday
      assertFalse(meetsLeadTime(pacific("2026-10-28T12:00"), start, THREE), utc); // Wednesday
    }
    // After the change the offset is -08:00: 23:30 PST Sunday, not 00:30 Monday.
    assertEquals(date("2026-11-01"), pacificDate(Instant.parse("2026-11-02T07:30:00Z")));
  }

  @ParameterizedTest
  @CsvSource({
    // notice (Pacific),  earliest start date
    "2026-07-02T10:00, 2026-07-09", // Thu; Fri 3rd observed holiday; Mon, Tue, Wed count
    "2026-11-24T09:00, 2026-12-01", // Tue; Wed, (Thanksgiving), Fri, Mon count
    "2026-12-23T16:00, 2026-12-30", // Wed; Thu, (Christmas Fri), Mon, Tue count
    "2026-06-06T12:00, 2026-06-11", // Saturday; Mon, Tue, Wed count
    "2026-06-01T00:00, 2026-06-05", // Mon; Tue, Wed, Thu count
    "2026-06-01T23:59, 2026-06-05",
  })
  void earliestQualifyingStartDateSkipsWeekendsAndHolidays(
      LocalDateTime noticePacific, LocalDate expected) {
    Instant notice = noticePacific.atZone(PACIFIC).toInstant();
    assertEquals(expected, earliestQualifyingStartDate(notice, THREE));
    assertTrue(meetsLeadTime(notice, expected.atStartOfDay(PACIFIC).toInstant(), THREE));
    Instant lastMomentBefore = expected.atStartOfDay(PACIFIC).toInstant().minusSeconds(1);
    assertFalse(meetsLeadTime(notice, lastMomentBefore, THREE));
  }

  @Test
  void earliestQualifyingStartDateAgreesWithMeetsLeadTimeAllYear() {
    for (LocalDate day = date("2026-01-01"); day.getYear() == 2026; day = day.plusDays(1)) {
      Instant notice = day.atTime(12, 0).atZone(PACIFIC).toInstant();
      for (int required = 0; required <= 5; required++) {
        LocalDate earliest = earliestQualifyingStartDate(notice, required);
        assertEquals(required, businessDaysStrictlyBetween(day, earliest), day + " +" + required);
        if (required > 0) {
          // The day before is the required-th business day itself, so one short.
          assertEquals(required - 1, businessDaysStrictlyBetween(day, earliest.minusDays(1)));
        }
      }
    }
  }

  @Test
  void zeroRequiredDaysQualifiesOnTheNoticeDate() {
    Instant notice = pacific("2026-06-06T12:00");
    assertEquals(date("2026-06-06"), earliestQualifyingStartDate(notice, 0));
    assertTrue(meetsLeadTime(notice, notice, 0));
  }

  @Test
  void negativeRequirementIsRejected() {
    Instant notice = pacific("2026-06-01T12:00");
    assertThrows(IllegalArgumentException.class, () -> meetsLeadTime(notice, notice, -1));
    assertThrows(IllegalArgumentException.class, () -> earliestQualifyingStartDate(notice, -1));
  }

  private static Instant pacific(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(PACIFIC).toInstant();
  }

  /** meetsLeadTime stops counting at the requirement; it must agree with the full count. */
  @Test
  void theLeadTimeAgreesWithTheFullCount() {
    Instant first = pacific("2026-12-18T23:30");
    for (int n = 0; n <= 4; n++) {
      for (int notice = 0; notice < 20; notice++) {
        Instant sentAt = first.plusSeconds(notice * 86_400L);
        for (int start = -3; start < 30; start++) {
          Instant windowStart = first.plusSeconds(start * 86_400L + 3_600);
          int between = businessDaysStrictlyBetween(pacificDate(sentAt), pacificDate(windowStart));
          assertEquals(
              between >= n,
              meetsLeadTime(sentAt, windowStart, n),
              sentAt + " -> " + windowStart + ", " + n);
        }
      }
    }
  }

  /** The arithmetic count agrees with counting business days one by one. */
  @Test
  void theCountAgreesWithCountingDayByDay() {
    LocalDate first = date("2020-12-20");
    for (int from = 0; from < 400; from += 3) {
      for (int span = -2; span < 800; span += 7) {
        LocalDate a = first.plusDays(from);
        LocalDate b = a.plusDays(span);
        int expected = 0;
        for (LocalDate day = a.plusDays(1); day.isBefore(b); day = day.plusDays(1)) {
          if (isBusinessDay(day)) {
            expected++;
          }
        }
        assertEquals(expected, businessDaysStrictlyBetween(a, b), a + " -> " + b);
      }
    }
  }

  @Test
  void aCountOverCenturiesIsArithmetic() {
    // 8,000 years of about 260.9 weekdays less 11 observed holidays.
    int days = businessDaysStrictlyBetween(date("1990-01-01"), date("9990-01-01"));
    assertTrue(days > 8_000 * 249 && days < 8_000 * 251, Integer.toString(days));
  }

  /** A fuzz seed (NoticeRequestFuzzTest): a window in the year 999,999,999 looped once per day. */
  @Test
  void aStartFarAheadIsAnsweredWithoutCountingEveryDay() {
    assertTrue(
        meetsLeadTime(
            Instant.parse("2026-03-02T17:00:00Z"),
            Instant.parse("+999999999-12-30T00:00:00Z"),
            THREE));
  }

  private static LocalDate date(String iso) {
    return LocalDate.parse(iso);
  }
}
