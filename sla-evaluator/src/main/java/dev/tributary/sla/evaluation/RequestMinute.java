package dev.tributary.sla.evaluation;

import java.time.Instant;

/**
 * The request counts of one UTC minute, the evidence for the error-rate rule of SLA §1. Throttled
 * (429) and other rejected (4xx) requests are not valid requests: they never count against the
 * service.
 */
public record RequestMinute(
    Instant minute, long requests, long rejected4xx, long throttled429, long failed5xx) {

  /** The requests that count for the error rate: all requests but the 4xx and 429 ones. */
  public long validRequests() {
    return Math.max(0, requests - rejected4xx - throttled429);
  }

  /** The counts of this minute and {@code other} added, for duplicate counts of one minute. */
  RequestMinute plus(RequestMinute other) {
    return new RequestMinute(
        minute,
        requests + other.requests,
        rejected4xx + other.rejected4xx,
        throttled429 + other.throttled429,
        failed5xx + other.failed5xx);
  }
}
