package dev.tributary.notice.service;

import dev.tributary.notice.config.TestClock;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Instant;

/** Drives the delivery worker from tests, which run with the scheduler off. */
final class Outbox {

  /** Far enough ahead that every delivery any test left behind is due. */
  private static final Instant FAR_FUTURE = Instant.parse("2030-01-01T00:00:00Z");

  private Outbox() {}

  /** One worker run, as the scheduler would do it; answers how many deliveries it handled. */
  static int runOnce(DeliveryWorker worker) throws Throwable {
    return VertxContextSupport.subscribeAndAwait(worker::runOnce);
  }

  /**
   * Sends whatever other tests left PENDING, so a test starts from an empty outbox, then puts the
   * clock back on Monday.
   */
  static void drain(DeliveryWorker worker, TestClock clock) throws Throwable {
    clock.set(FAR_FUTURE);
    while (runOnce(worker) > 0) {
      // until nothing is due
    }
    clock.set(TestClock.MONDAY);
  }
}
