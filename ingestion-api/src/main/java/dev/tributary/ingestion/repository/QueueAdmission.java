package dev.tributary.ingestion.repository;

/**
 * How many events may wait for the database: as many as it committed in {@code max-queue-delay} at
 * its best pace of the last {@value #REMEMBERED} seconds, at least one transaction's worth and at
 * most {@code max-pending-events}. Past the bound a request is refused at once ({@code 429
 * overloaded}, with {@code Retry-After}) instead of queueing behind more than that delay of work,
 * so the requests that are accepted keep a latency of about the delay plus one commit however far
 * the offered load exceeds what PostgreSQL commits. With no pace known (a fresh start, or 10 s
 * without a commit) the bound is {@code max-pending-events}.
 *
 * <p>The pace is counted per second of commit completions; the bound is recomputed on each commit,
 * and read without a lock on the request path.
 */
final class QueueAdmission {

  /** Seconds of commit history the pace is taken from. */
  static final int REMEMBERED = 10;

  private final long delayNanos;
  private final int floor;
  private final int ceiling;
  private final long[] second = new long[REMEMBERED + 1];
  private final long[] committed = new long[REMEMBERED + 1];
  private volatile int bound;

  /**
   * @param delayNanos how long, at the database's pace, the events waiting may take to commit
   * @param floor the bound never falls below this (one transaction's worth of events)
   * @param ceiling the bound never exceeds this (the memory bound)
   */
  QueueAdmission(long delayNanos, int floor, int ceiling) {
    this.delayNanos = delayNanos;
    this.floor = Math.min(floor, ceiling);
    this.ceiling = ceiling;
    this.bound = ceiling;
    java.util.Arrays.fill(second, Long.MIN_VALUE);
  }

  /** The events that may be waiting for the database right now. */
  int bound() {
    return bound;
  }

  /** A transaction of {@code events} committed at {@code nowNanos} (System.nanoTime). */
  synchronized void committed(int events, long nowNanos) {
    long now = Math.floorDiv(nowNanos, 1_000_000_000L);
    int slot = (int) Math.floorMod(now, (long) second.length);
    if (second[slot] != now) {
      second[slot] = now;
      committed[slot] = 0;
    }
    committed[slot] += events;
    // The best whole second of the remembered ones (the current second is still filling).
    long pace = 0;
    for (int i = 0; i < second.length; i++) {
      if (second[i] < now && second[i] >= now - REMEMBERED) {
        pace = Math.max(pace, committed[i]);
      }
    }
    if (pace == 0) {
      bound = ceiling;
      return;
    }
    long allowed = (long) (pace * (delayNanos / 1e9));
    bound = (int) Math.max(floor, Math.min(ceiling, allowed));
  }
}
