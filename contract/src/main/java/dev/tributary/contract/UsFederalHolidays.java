package dev.tributary.contract;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The US federal holidays, which SLA §3 excludes from the "business days" of the scheduled
 * maintenance notice.
 *
 * <p>The dates are computed by the rules of 5 U.S.C. 6103(a), never from a per-year list, so the
 * calendar needs no yearly update. A holiday falling on a Saturday is observed the Friday before
 * and one falling on a Sunday the Monday after (5 U.S.C. 6103(b), Executive Order 11582, as applied
 * by OPM). Inauguration Day (6103(c)) is left out: it is a holiday only for the Washington, D.C.
 * area. One-off closures by executive order are left out too: they are not known in advance.
 *
 * <p>The rules are the ones in force since 1986, the first Birthday of Martin Luther King Jr.;
 * Juneteenth is added from 2021, the year it was enacted. Earlier years are rejected rather than
 * answered wrongly.
 */
public final class UsFederalHolidays {

  /** The first year whose holidays the current rules describe. */
  public static final int FIRST_SUPPORTED_YEAR = 1986;

  /** The year Juneteenth National Independence Day became a federal holiday. */
  static final int FIRST_JUNETEENTH_YEAR = 2021;

  /**
   * One legal public holiday.
   *
   * @param name the name 5 U.S.C. 6103(a) gives it
   * @param date the date of the holiday itself
   * @param observed the weekday on which it is observed; for New Year's Day this can be December 31
   *     of the year before
   */
  public record Holiday(String name, LocalDate date, LocalDate observed) {
    public Holiday {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(date, "date");
      Objects.requireNonNull(observed, "observed");
    }
  }

  private static final Map<Integer, Set<LocalDate>> OBSERVED_BY_YEAR = new ConcurrentHashMap<>();

  private UsFederalHolidays() {}

  /**
   * The holidays whose own date falls in {@code year}, in calendar order. Their observed dates may
   * fall in the year before (New Year's Day on a Saturday); use {@link #observed(int)} for the days
   * off in a year.
   */
  public static List<Holiday> holidays(int year) {
    requireSupported(year);
    List<Holiday> holidays = new ArrayList<>(11);
    holidays.add(fixed("New Year's Day", LocalDate.of(year, Month.JANUARY, 1)));
    holidays.add(
        onWeekday(
            "Birthday of Martin Luther King, Jr.", nth(year, Month.JANUARY, 3, DayOfWeek.MONDAY)));
    holidays.add(
        onWeekday("Washington's Birthday", nth(year, Month.FEBRUARY, 3, DayOfWeek.MONDAY)));
    holidays.add(
        onWeekday(
            "Memorial Day",
            LocalDate.of(year, Month.MAY, 1)
                .with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY))));
    if (year >= FIRST_JUNETEENTH_YEAR) {
      holidays.add(
          fixed("Juneteenth National Independence Day", LocalDate.of(year, Month.JUNE, 19)));
    }
    holidays.add(fixed("Independence Day", LocalDate.of(year, Month.JULY, 4)));
    holidays.add(onWeekday("Labor Day", nth(year, Month.SEPTEMBER, 1, DayOfWeek.MONDAY)));
    holidays.add(onWeekday("Columbus Day", nth(year, Month.OCTOBER, 2, DayOfWeek.MONDAY)));
    holidays.add(fixed("Veterans Day", LocalDate.of(year, Month.NOVEMBER, 11)));
    holidays.add(onWeekday("Thanksgiving Day", nth(year, Month.NOVEMBER, 4, DayOfWeek.THURSDAY)));
    holidays.add(fixed("Christmas Day", LocalDate.of(year, Month.DECEMBER, 25)));
    return List.copyOf(holidays);
  }

  /**
   * The observed holidays (days off) falling in {@code year}. This includes December 31 when the
   * next New Year's Day is a Saturday, and leaves out that New Year's Day's own observance.
   */
  public static Set<LocalDate> observed(int year) {
    requireSupported(year);
    return OBSERVED_BY_YEAR.computeIfAbsent(
        year,
        y ->
            Stream.concat(holidays(y).stream(), holidays(y + 1).stream())
                .map(Holiday::observed)
                .filter(d -> d.getYear() == y)
                .collect(Collectors.toUnmodifiableSet()));
  }

  /** Whether federal employees have {@code date} off for a holiday. */
  public static boolean isObservedHoliday(LocalDate date) {
    return observed(date.getYear()).contains(date);
  }

  private static void requireSupported(int year) {
    // year + 1 is computed for the December 31 case, so the top is one short of the maximum.
    if (year < FIRST_SUPPORTED_YEAR || year >= LocalDate.MAX.getYear()) {
      throw new IllegalArgumentException(
          "Federal holiday rules are implemented from " + FIRST_SUPPORTED_YEAR + ", not " + year);
    }
  }

  private static LocalDate nth(int year, Month month, int ordinal, DayOfWeek day) {
    return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(ordinal, day));
  }

  /** A holiday the statute puts on a weekday ("third Monday in January"): observed that day. */
  private static Holiday onWeekday(String name, LocalDate date) {
    return new Holiday(name, date, date);
  }

  /** A holiday on a fixed calendar date, moved off the weekend as OPM does. */
  private static Holiday fixed(String name, LocalDate date) {
    LocalDate observed =
        switch (date.getDayOfWeek()) {
          case SATURDAY -> date.minusDays(1);
          case SUNDAY -> date.plusDays(1);
          default -> date;
        };
    return new Holiday(name, date, observed);
  }
}
