package dev.tributary.sla.evaluation;

import java.time.Instant;

/**
 * The UTC minutes of one month as indexes 0 to size - 1 counted from the period start, so the
 * evaluation can keep its per-minute state in arrays.
 */
final class MinuteAxis {

  private static final long SECONDS_PER_MINUTE = 60;

  private final long startSecond;
  private final int size;

  MinuteAxis(Instant periodStart, Instant periodEnd) {
    this.startSecond = periodStart.getEpochSecond();
    this.size = Math.toIntExact((periodEnd.getEpochSecond() - startSecond) / SECONDS_PER_MINUTE);
  }

  int size() {
    return size;
  }

  Instant minute(int index) {
    return Instant.ofEpochSecond(startSecond + index * SECONDS_PER_MINUTE);
  }

  /** The index of the minute containing {@code t}; may lie outside the month. */
  long indexOf(Instant t) {
    return Math.floorDiv(t.getEpochSecond() - startSecond, SECONDS_PER_MINUTE);
  }

  /**
   * The first minute m of the month with m + 1 min > {@code t}: the first one {@code t} touches.
   */
  int firstTouched(Instant t) {
    return clamp(indexOf(t));
  }

  /** One past the last minute m of the month with m < {@code t}. */
  int endBefore(Instant t) {
    long seconds = t.getEpochSecond() - startSecond;
    long end =
        t.getNano() == 0
            ? -Math.floorDiv(-seconds, SECONDS_PER_MINUTE)
            : Math.floorDiv(seconds, SECONDS_PER_MINUTE) + 1;
    return clamp(end);
  }

  private int clamp(long index) {
    return (int) Math.max(0, Math.min(size, index));
  }
}
