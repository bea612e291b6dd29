package dev.tributary.notice.domain;

/** The outbox life cycle of a delivery. */
public enum DeliveryStatus {
  /** Waiting for a worker (again, after a failed attempt, from {@code nextAttemptAt}). */
  PENDING,
  /** Claimed by a worker. */
  SENDING,
  /** Accepted by the email or SMS provider; the evidence is recorded. */
  SENT,
  /** Given up after the maximum number of attempts. */
  FAILED,
  /** Never sent: a maintenance reminder whose maintenance was cancelled or rescheduled. */
  CANCELLED
}
