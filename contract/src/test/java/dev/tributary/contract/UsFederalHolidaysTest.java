package dev.tributary.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.contract.UsFederalHolidays.Holiday;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsFederalHolidaysTest {

  // Dates from the OPM holiday tables for 2025 and 2026.
  private static final List<Holiday> HOLIDAYS_2025 =
      List.of(
          same("New Year's Day", "2025-01-01"),
          same("Birthday of Martin Luther King, Jr.", "2025-01-20"),
          same("Washington's Birthday", "2025-02-17"),
          same("Memorial Day", "2025-05-26"),
          same("Juneteenth National Independence Day", "2025-06-19"),
          same("Independence Day", "2025-07-04"),
          same("Labor Day", "2025-09-01"),
          same("Columbus Day", "2025-10-13"),
          same("Veterans Day", "2025-11-11"),
          same("Thanksgiving Day", "2025-11-27"),
          same("Christmas Day", "2025-12-25"));

  private static final List<Holiday> HOLIDAYS_2026 =
      List.of(
          same("New Year's Day", "2026-01-01"),
          same("Birthday of Martin Luther King, Jr.", "2026-01-19"),
          same("Washington's Birthday", "2026-02-16"),
          same("Memorial Day", "2026-05-25"),
          same("Juneteenth National Independence Day", "2026-06-19"),
          // Saturday, so observed on Friday.
          new Holiday("Independence Day", date("2026-07-04"), date("2026-07-03")),
          same("Labor Day", "2026-09-07"),
          same("Columbus Day", "2026-10-12"),
          same("Veterans Day", "2026-11-11"),
          same("Thanksgiving Day", "2026-11-26"),
          same("Christmas Day", "2026-12-25"));

  @Test
  void holidaysOf2025() {
    assertEquals(HOLIDAYS_2025, UsFederalHolidays.holidays(2025));
    assertEquals(observedDates(HOLIDAYS_2025), UsFederalHolidays.observed(2025));
  }

  @Test
  void holidaysOf2026() {
    assertEquals(HOLIDAYS_2026, UsFederalHolidays.holidays(2026));
    assertEquals(observedDates(HOLIDAYS_2026), UsFederalHolidays.observed(2026));
  }

  @ParameterizedTest
  @CsvSource({
    // holiday,  observed: Saturday -> Friday before, Sunday -> Monday after
    "2026-07-04, 2026-07-03",
    "2027-12-25, 2027-12-24",
    "2027-07-04, 2027-07-05",
    "2023-01-01, 2023-01-02",
    "2021-06-19, 2021-06-18",
    "2020-11-11, 2020-11-11",
  })
  void weekendHolidaysMoveToTheNearestWeekday(LocalDate holiday, LocalDate observed) {
    Holiday found =
        UsFederalHolidays.holidays(holiday.getYear()).stream()
            .filter(h -> h.date().equals(holiday))
            .findFirst()
            .orElseThrow();
    assertEquals(observed, found.observed());
    assertTrue(UsFederalHolidays.isObservedHoliday(observed));
    if (!observed.equals(holiday)) {
      assertFalse(UsFederalHolidays.isObservedHoliday(holiday));
    }
  }

  @Test
  void newYearOnSaturdayIsObservedOnDecember31OfThePreviousYear() {
    // 2022-01-01 was a Saturday.
    assertTrue(UsFederalHolidays.isObservedHoliday(date("2021-12-31")));
    assertFalse(UsFederalHolidays.isObservedHoliday(date("2022-01-01")));
    assertTrue(UsFederalHolidays.observed(2021).contains(date("2021-12-31")));
    // Not moved to Monday either: Friday December 31 is the day off.
    assertFalse(UsFederalHolidays.observed(2022).contains(date("2022-01-03")));
    // 2021 has its own 11 days off plus the 2022 New Year; 2022 has one fewer.
    assertEquals(12, UsFederalHolidays.observed(2021).size());
    assertEquals(10, UsFederalHolidays.observed(2022).size());
    assertEquals(date("2021-12-31"), UsFederalHolidays.holidays(2022).get(0).observed());
  }

  @Test
  void juneteenthOnlyFrom2021() {
    assertFalse(UsFederalHolidays.isObservedHoliday(date("2020-06-19")));
    assertEquals(10, UsFederalHolidays.holidays(2020).size());
    assertTrue(
        UsFederalHolidays.holidays(2020).stream()
            .noneMatch(h -> h.name().startsWith("Juneteenth")));
    assertEquals(11, UsFederalHolidays.holidays(2021).size());
  }

  @ParameterizedTest
  @ValueSource(ints = {1986, 1999, 2024, 2025, 2026, 2030, 2100})
  void everyObservedHolidayIsAWeekday(int year) {
    Set<LocalDate> observed = UsFederalHolidays.observed(year);
    assertTrue(observed.size() >= 9 && observed.size() <= 12, () -> "size " + observed.size());
    for (LocalDate day : observed) {
      assertEquals(year, day.getYear());
      assertTrue(day.getDayOfWeek().getValue() <= 5, () -> day + " is " + day.getDayOfWeek());
    }
  }

  @Test
  void ordinaryDaysAreNotHolidays() {
    assertFalse(UsFederalHolidays.isObservedHoliday(date("2026-11-27"))); // Day after Thanksgiving
    assertFalse(UsFederalHolidays.isObservedHoliday(date("2026-12-24")));
    assertFalse(UsFederalHolidays.isObservedHoliday(date("2026-05-18"))); // Not the last Monday
  }

  @Test
  void observedSetsAreUnmodifiable() {
    Set<LocalDate> observed = UsFederalHolidays.observed(2026);
    assertThrows(UnsupportedOperationException.class, () -> observed.add(date("2026-03-03")));
  }

  @Test
  void yearsBeforeTheCurrentRulesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> UsFederalHolidays.holidays(1985));
    assertThrows(
        IllegalArgumentException.class,
        () -> UsFederalHolidays.isObservedHoliday(date("1970-01-01")));
  }

  private static Holiday same(String name, String date) {
    return new Holiday(name, date(date), date(date));
  }

  private static LocalDate date(String iso) {
    return LocalDate.parse(iso);
  }

  private static Set<LocalDate> observedDates(List<Holiday> holidays) {
    return Set.copyOf(holidays.stream().map(Holiday::observed).toList());
  }
}
