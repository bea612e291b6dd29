package dev.tributary.ingestion.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/**
 * The event timestamps' text: ISO-8601 with a required offset in, {@link Instant#toString()} out.
 *
 * <p>Every event has up to four of them, and with {@link DateTimeFormatter} they were most of the
 * normaliser's time (its optional sections copy the parse state into a new map each time). The
 * shapes the libraries send, {@code 2026-01-01T00:00:00.123Z} or with an offset, take a direct path
 * here; anything else goes to the formatter, which decides as before, so both accept exactly the
 * same texts ({@code SegmentTimestampsTest} compares them).
 */
final class SegmentTimestamps {

  /** ISO-8601 with a required offset, written "Z", "+01:00" or "+0100" (libraries differ). */
  private static final DateTimeFormatter ISO_WITH_OFFSET =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .toFormatter();

  private static final int MAX_OFFSET_SECONDS = 18 * 3600;

  /** The four-digit years, as epoch seconds: [0000-01-01, 10000-01-01). */
  private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;

  private static final long YEAR_10000 = LocalDate.of(10000, 1, 1).toEpochDay() * 86_400;

  private SegmentTimestamps() {}

  /**
   * The instant {@code text} names.
   *
   * @throws DateTimeParseException when it is not ISO-8601 with an offset
   */
  static Instant parse(String text) {
    Instant fast = parseCommon(text);
    return fast != null ? fast : parseWithFormatter(text);
  }

  /** The general path, which decides every text the direct one leaves. */
  static Instant parseWithFormatter(String text) {
    return OffsetDateTime.parse(text, ISO_WITH_OFFSET).toInstant();
  }

  /** The same text as {@link Instant#toString()}. */
  static String format(Instant instant) {
    long second = instant.getEpochSecond();
    if (second < YEAR_0 || second >= YEAR_10000) {
      return instant.toString(); // a sign or a fifth digit
    }
    LocalDateTime utc = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
    int year = utc.getYear();
    int nano = instant.getNano();
    int digits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
    char[] out = new char[20 + (digits == 0 ? 0 : digits + 1)];
    put(out, 0, year, 4);
    out[4] = '-';
    put(out, 5, utc.getMonthValue(), 2);
    out[7] = '-';
    put(out, 8, utc.getDayOfMonth(), 2);
    out[10] = 'T';
    put(out, 11, utc.getHour(), 2);
    out[13] = ':';
    put(out, 14, utc.getMinute(), 2);
    out[16] = ':';
    put(out, 17, utc.getSecond(), 2);
    int at = 19;
    if (digits > 0) {
      out[at++] = '.';
      put(out, at, digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1000 : nano, digits);
      at += digits;
    }
    out[at] = 'Z';
    return new String(out);
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM|±HHMM)} with every field in its usual range, or
   * null for the formatter to decide (other shapes, and values it might read otherwise).
   */
  private static Instant parseCommon(String s) {
    int length = s.length();
    if (length < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    int at = 19;
    int nano = 0;
    if (s.charAt(at) == '.') {
      int start = ++at;
      while (at < length && at - start < 9 && isDigit(s.charAt(at))) {
        nano = nano * 10 + (s.charAt(at) - '0');
        at++;
      }
      int count = at - start;
      if (count == 0 || at < length && isDigit(s.charAt(at))) {
        return null;
      }
      for (int i = count; i < 9; i++) {
        nano *= 10;
      }
    }
    int offsetSeconds;
    int rest = length - at;
    char sign = at < length ? s.charAt(at) : 0;
    if (rest == 1 && sign == 'Z') {
      offsetSeconds = 0;
    } else if ((sign == '+' || sign == '-')
        && (rest == 6 && s.charAt(at + 3) == ':' || rest == 5)) {
      int hours = digits(s, at + 1, 2);
      int minutes = digits(s, rest == 6 ? at + 4 : at + 3, 2);
      if (hours < 0 || minutes < 0 || minutes > 59) {
        return null;
      }
      offsetSeconds = hours * 3600 + minutes * 60;
      if (offsetSeconds > MAX_OFFSET_SECONDS) {
        return null;
      }
      if (sign == '-') {
        offsetSeconds = -offsetSeconds;
      }
    } else {
      return null;
    }
    long epochSecond =
        LocalDate.of(year, month, day).toEpochDay() * 86_400
            + hour * 3600L
            + minute * 60L
            + second
            - offsetSeconds;
    return Instant.ofEpochSecond(epochSecond, nano);
  }

  /** The non-negative number written in {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
