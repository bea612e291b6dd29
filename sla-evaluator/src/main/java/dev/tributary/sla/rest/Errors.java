package dev.tributary.sla.rest;

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

  /** Both set and {@code end} after {@code start}. */
  void range(Instant start, Instant end, String where) {
    require(start, where + "start");
    require(end, where + "end");
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

  /** A {@code yyyy-MM} month, or 400 {@code invalid_month}. */
  static YearMonth month(String value) {
    try {
      return YearMonth.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw ApiException.badRequest("invalid_month", "month must be yyyy-MM, e.g. 2025-07");
    }
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
