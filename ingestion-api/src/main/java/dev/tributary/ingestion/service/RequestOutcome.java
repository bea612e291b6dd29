package dev.tributary.ingestion.service;

/** How a Tracking API request ended, as the SLA counts it. */
public enum RequestOutcome {
  /** 2xx: stored (a batch may still have rejected some events). */
  ACCEPTED,
  /** 4xx other than 429: the client's fault, never counted against availability. */
  REJECTED,
  /** 429: over a documented throughput limit, never counted against availability. */
  THROTTLED,
  /** 5xx: the platform's fault. */
  FAILED
}
