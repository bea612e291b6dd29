package dev.tributary.sla.evaluation;

/** What SLA §1 to §3 make of one minute. */
public enum Verdict {
  AVAILABLE,
  UNAVAILABLE,
  NO_DATA,
  EXCLUDED,
  PENDING
}
