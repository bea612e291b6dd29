package dev.tributary.ingestion.rest;

import dev.tributary.support.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * The page size and cursor parameters of the admin and internal reads, parsed here rather than by
 * JAX-RS, which answers {@code 404} to a malformed query parameter: every mistake is a {@code 400}
 * with a stable code ({@code invalid_limit}, {@code invalid_cursor}).
 */
final class PageParameters {

  private PageParameters() {}

  /** A page size from 1 to {@code max}; {@code 400 invalid_limit} otherwise. */
  static int limit(String value, int max) {
    try {
      int limit = Integer.parseInt(value.strip());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        "invalid_limit", String.format("limit must be a whole number from 1 to %,d", max));
  }

  /** An optional cursor id (null when absent); {@code 400 invalid_cursor} when not a UUID. */
  static UUID cursorId(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value.strip());
    } catch (IllegalArgumentException e) {
      throw invalidCursor(name + " must be a UUID");
    }
  }

  /** An optional cursor instant (null when absent); {@code 400 invalid_cursor} when malformed. */
  static Instant cursorInstant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw invalidCursor(name + " must be an ISO-8601 instant such as 2025-07-01T00:00:00Z");
    }
  }

  static ApiException invalidCursor(String detail) {
    return ApiException.badRequest("invalid_cursor", detail);
  }
}
