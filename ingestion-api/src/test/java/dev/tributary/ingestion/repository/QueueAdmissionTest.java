package dev.tributary.ingestion.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The bound on events waiting for the database follows the pace PostgreSQL commits at, so that an
 * overload is refused at once instead of queueing: with a 1 s delay, as many events as the best
 * recent second committed, never below one transaction's worth, never above the memory bound, and
 * the memory bound when no pace is known.
 */
class QueueAdmissionTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_000 * SECOND;

  private final QueueAdmission admission = new QueueAdmission(SECOND, 5_000, 50_000);

  /** Commits {@code perSecond} events in each of {@code seconds} seconds from {@code from}. */
  private void commit(long from, int seconds, int perSecond) {
    for (int s = 0; s < seconds; s++) {
      for (int i = 0; i < 10; i++) {
        admission.committed(perSecond / 10, from + s * SECOND + i * (SECOND / 10));
      }
    }
  }

  @Test
  void withoutAKnownPaceTheBoundIsTheMemoryBound() {
    assertEquals(50_000, admission.bound());
    // The first second is still filling: no whole second is known yet.
    admission.committed(3_000, T0);
    assertEquals(50_000, admission.bound());
  }

  @Test
  void theBoundIsWhatTheBestRecentSecondCommitted() {
    commit(T0, 3, 12_000);
    admission.committed(100, T0 + 3 * SECOND);
    assertEquals(12_000, admission.bound());
  }

  @Test
  void aSlowerDatabaseLowersTheBoundOnceItsBestSecondsAreForgotten() {
    commit(T0, 2, 20_000);
    commit(T0 + 2 * SECOND, 12, 8_000);
    admission.committed(100, T0 + 14 * SECOND);
    assertEquals(8_000, admission.bound());
  }

  @Test
  void theBoundStaysBetweenOneTransactionAndTheMemoryBound() {
    commit(T0, 2, 1_000);
    admission.committed(100, T0 + 2 * SECOND);
    assertEquals(5_000, admission.bound());
    commit(T0 + 20 * SECOND, 2, 400_000);
    admission.committed(100, T0 + 22 * SECOND);
    assertEquals(50_000, admission.bound());
  }

  @Test
  void tenSecondsWithoutACommitForgetThePace() {
    commit(T0, 2, 12_000);
    admission.committed(100, T0 + 2 * SECOND);
    assertEquals(12_000, admission.bound());
    admission.committed(100, T0 + 30 * SECOND);
    assertEquals(50_000, admission.bound());
  }
}
