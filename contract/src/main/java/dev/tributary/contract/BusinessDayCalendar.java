package dev.tributary.contract;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The business days of the agreement and the scheduled-maintenance lead time built on them.
 *
 * <p>SLA §3 (Scheduled Maintenance): Twilio will "notify Customer via email or text at least three
 * (3) business days prior to starting such maintenance". The SLA states its maintenance hours in
 * Pacific Time, so a business day here is a Monday to Friday in {@link #PACIFIC} that is not an
 * observed US federal holiday ({@link UsFederalHolidays}).
 *
 * <p>"At least three business days prior" is counted, as the sla-evaluator requirement states, as
 * the business days <em>strictly between</em> the Pacific date of the notice and the Pacific date
 * of the start. Neither end day counts: the notice day may be over by the time the notice arrives,
 * and on the start day the maintenance has begun, so neither gives the customer a full business day
 * to prepare. Counting whole days also makes the rule independent of the hour of either instant.
 *
 * <p>Instants are converted with the {@link #PACIFIC} zone rules, never a fixed offset, so the
 * Pacific date is right on both sides of the daylight-saving changes.
 */
public final class BusinessDayCalendar {

  /** Pacific Time, in which SLA §3 states the maintenance hours. */
  public static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

  /** SLA §3: notice at least three business days before scheduled maintenance starts. */
  public static final int MAINTENANCE_NOTICE_BUSINESS_DAYS = 3;

  private BusinessDayCalendar() {}

  /** Whether {@code date} is a Monday to Friday that is not an observed federal holiday. */
  public static boolean isBusinessDay(LocalDate date) {
    return isWeekday(date) && !UsFederalHolidays.isObservedHoliday(date);
  }

  /**
   * The business days after {@code from} and before {@code to}, both excluded; 0 when {@code to} is
   * not at least two days after {@code from}.
   */
  public static int businessDaysStrictlyBetween(LocalDate from, LocalDate to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    LocalDate first = from.plusDays(1);
    if (!first.isBefore(to)) {
      return 0;
    }
    // Weekdays by arithmetic, less the observed holidays year by year: a notice centuries before
    // its window (fuzzed evaluation requests did that) costs a few steps per year, not one per day.
    long count = weekdaysBefore(to) - weekdaysBefore(first);
    for (int year = first.getYear(); year <= to.getYear(); year++) {
      for (LocalDate holiday : UsFederalHolidays.observed(year)) {
        if (!holiday.isBefore(first) && holiday.isBefore(to) && isWeekday(holiday)) {
          count--;
        }
      }
    }
    return Math.toIntExact(count);
  }

  /** Mondays to Fridays before {@code date}, counted from Monday 1969-12-29 (epoch day -3). */
  private static long weekdaysBefore(LocalDate date) {
    long days = date.toEpochDay() + 3;
    return Math.floorDiv(days, 7) * 5 + Math.min(Math.floorMod(days, 7), 5);
  }

  private static boolean isWeekday(LocalDate date) {
    DayOfWeek day = date.getDayOfWeek();
    return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
  }

  /** The date in Pacific Time of {@code instant}. */
  public static LocalDate pacificDate(Instant instant) {
    return LocalDate.ofInstant(instant, PACIFIC);
  }

  /**
   * Whether a notice sent at {@code noticeSentAt} came at least {@code requiredBusinessDays}
   * business days before a window starting at {@code start} (SLA §3), counting the Pacific business
   * days strictly between the two Pacific dates.
   */
  public static boolean meetsLeadTime(
      Instant noticeSentAt, Instant start, int requiredBusinessDays) {
    requireNonNegative(requiredBusinessDays);
    // Counts only the required days, not every day up to the start: a start centuries ahead
    // (fuzzed requests did that) would otherwise loop once per day between the two.
    return requiredBusinessDays == 0
        || !pacificDate(start)
            .isBefore(earliestQualifyingStartDate(noticeSentAt, requiredBusinessDays));
  }

  /**
   * The first Pacific date on which a window may start for a notice sent at {@code noticeSentAt} to
   * meet {@link #meetsLeadTime}: the day after the {@code requiredBusinessDays}-th business day
   * following the notice date. Every later date qualifies too.
   */
  public static LocalDate earliestQualifyingStartDate(
      Instant noticeSentAt, int requiredBusinessDays) {
    requireNonNegative(requiredBusinessDays);
    LocalDate noticeDate = pacificDate(noticeSentAt);
    if (requiredBusinessDays == 0) {
      return noticeDate;
    }
    LocalDate day = noticeDate;
    int counted = 0;
    while (counted < requiredBusinessDays) {
      day = day.plusDays(1);
      if (isBusinessDay(day)) {
        counted++;
      }
    }
    return day.plusDays(1);
  }

  private static void requireNonNegative(int requiredBusinessDays) {
    if (requiredBusinessDays < 0) {
      throw new IllegalArgumentException(
          "requiredBusinessDays must not be negative: " + requiredBusinessDays);
    }
  }
}
