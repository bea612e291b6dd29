package dev.tributary.sla.rest;

import dev.tributary.contract.UsFederalHolidays;
import dev.tributary.support.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what is wrong with a request, so one answer names every problem: 422 with the first
 * problem's stable code and all of them in {@code errors}.
 */
final class Errors {

  private record Problem(String code, String message) {}

  private final List<Problem> problems = new ArrayList<>();

  void add(String code, String message) {
    problems.add(new Problem(code, message));
  }

  void require(Object value, String field) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add("missing_field", field + " is required");
    }
  }

  /**
   * The years the agreement's calendar covers: federal holidays are implemented from 1986, and
   * ISO-8601's four-digit years end at 9999. Outside them the business-day and time-zone arithmetic
   * has no answer (and fuzzed requests made it throw).
   */
  static final int FIRST_YEAR = UsFederalHolidays.FIRST_SUPPORTED_YEAR;

  static final int LAST_YEAR = 9999;

  private static final Instant EARLIEST = Instant.parse(FIRST_YEAR + "-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse(LAST_YEAR + "-12-31T23:59:59.999999999Z");

  /** Unset, or inside {@link #FIRST_YEAR} to {@link #LAST_YEAR} (UTC). */
  void inRange(Instant value, String field) {
    if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
      add("out_of_range", field + " must lie in the years " + FIRST_YEAR + " to " + LAST_YEAR);
    }
  }

  /** Both set and {@code end} after {@code start}. */
  void range(Instant start, Instant end, String where) {
    require(start, where + "start");
    require(end, where + "end");
    inRange(start, where + "start");
    inRange(end, where + "end");
    if (start != null && end != null && !end.isAfter(start)) {
      add("end_before_start", where + "end must be after " + where + "start");
    }
  }

  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new ApiException(
          422,
          problems.get(0).code(),
          problems.get(0).message(),
          problems.stream().map(p -> p.code() + ": " + p.message()).toList());
    }
  }

  /**
   * A {@code yyyy-MM} month from {@link #FIRST_YEAR} to {@link #LAST_YEAR}, or 400 {@code
   * invalid_month}.
   */
  static YearMonth month(String value) {
    YearMonth month;
    try {
      month = YearMonth.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      month = null;
    }
    if (month == null || month.getYear() < FIRST_YEAR || month.getYear() > LAST_YEAR) {
      throw ApiException.badRequest(
          "invalid_month",
          "month must be yyyy-MM from " + FIRST_YEAR + " to " + LAST_YEAR + ", e.g. 2025-07");
    }
    return month;
  }

  /** A time-zone id (UTC when absent), or 422 {@code invalid_time_zone}. */
  static ZoneId zone(String value) {
    if (value == null || value.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw ApiException.unprocessable(
          "invalid_time_zone", "timeZone must be an IANA time-zone id, e.g. America/Los_Angeles");
    }
  }
}
