package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The direct paths of {@link SegmentTimestamps} against the JDK's formatter and toString. */
class SegmentTimestampsTest {

  private static final long YEAR_0 = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
  private static final long YEAR_10000 =
      LocalDateTime.of(10000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);

  @Test
  void formatsAsInstantToString() {
    Random random = new Random(20261202);
    List<Instant> instants =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.ofEpochSecond(YEAR_0),
                Instant.ofEpochSecond(YEAR_10000 - 1, 999_999_999),
                Instant.ofEpochSecond(YEAR_10000),
                Instant.ofEpochSecond(YEAR_0 - 1),
                Instant.MIN,
                Instant.MAX,
                Instant.parse("2024-02-29T23:59:59.100Z"),
                Instant.parse("2026-01-01T00:00:00.000001Z"),
                Instant.parse("2026-01-01T00:00:00.000000001Z")));
    for (int i = 0; i < 20_000; i++) {
      long second = YEAR_0 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_0));
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      instants.add(Instant.ofEpochSecond(second, nano));
    }
    for (Instant instant : instants) {
      assertEquals(instant.toString(), SegmentTimestamps.format(instant));
    }
  }

  @Test
  void acceptsAndReadsExactlyWhatTheFormatterDoes() {
    Random random = new Random(42);
    List<String> texts = new ArrayList<>(handWritten());
    String[] offsets = {
      "Z", "+00:00", "-00:00", "+01:00", "-07:00", "+0530", "-0800", "+18:00", "-18:00", "+18:01",
      "+19:00", "+01:60", "+1:00", "+01:0", "z", "", "+01", "UTC", "+01:00Z"
    };
    for (int i = 0; i < 20_000; i++) {
      int year = random.nextInt(12) == 0 ? random.nextInt(10000) : 1990 + random.nextInt(50);
      String date =
          String.format(
              "%04d-%02d-%02dT%02d:%02d:%02d",
              year,
              random.nextInt(14),
              random.nextInt(33),
              random.nextInt(26),
              random.nextInt(62),
              random.nextInt(62));
      if (random.nextInt(3) > 0) {
        // Valid fields most of the time, so the direct path is exercised.
        date =
            String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d",
                year,
                1 + random.nextInt(12),
                1 + random.nextInt(31),
                random.nextInt(24),
                random.nextInt(60),
                random.nextInt(60));
      }
      int fractionDigits = random.nextInt(13);
      StringBuilder text = new StringBuilder(date);
      if (fractionDigits > 0) {
        text.append('.');
        for (int d = 1; d < fractionDigits; d++) {
          text.append((char) ('0' + random.nextInt(10)));
        }
      }
      text.append(offsets[random.nextInt(offsets.length)]);
      texts.add(text.toString());
    }
    int read = 0;
    for (String text : texts) {
      Instant expected;
      try {
        expected = SegmentTimestamps.parseWithFormatter(text);
      } catch (DateTimeException e) {
        assertThrows(DateTimeException.class, () -> SegmentTimestamps.parse(text), text);
        continue;
      }
      assertEquals(expected, SegmentTimestamps.parse(text), text);
      read++;
    }
    // Both kinds were compared in numbers.
    assertEquals(true, read > 5000, "valid texts compared: " + read);
    assertEquals(
        true, texts.size() - read > 5000, "invalid texts compared: " + (texts.size() - read));
  }

  private static List<String> handWritten() {
    return List.of(
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00.123Z",
        "2026-01-01T00:00:00.123456789Z",
        "2026-01-01T00:00:00.1234567891Z",
        "2026-01-01T00:00:00.Z",
        "2026-01-01t00:00:00z",
        "2026-01-01T00:00Z",
        "2024-02-29T12:00:00Z",
        "2025-02-29T12:00:00Z",
        "2026-04-31T12:00:00Z",
        "2026-12-31T24:00:00Z",
        "2026-12-31T23:59:60Z",
        "2026-06-01T12:00:00+02:00",
        "2026-06-01T12:00:00+0200",
        "2026-06-01T12:00:00 +02:00",
        "+2026-06-01T12:00:00Z",
        "12026-06-01T12:00:00Z",
        "2026-06-01T12:00:00",
        "2026-06-01",
        "",
        "not a date",
        "2026-06-01T12:00:00Z ",
        "٢٠٢٦-06-01T12:00:00Z");
  }
}
