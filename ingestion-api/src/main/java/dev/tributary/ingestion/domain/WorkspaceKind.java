package dev.tributary.ingestion.domain;

/** Whose workspace it is: a customer's, or the one holding the sla-evaluator's probe sources. */
public enum WorkspaceKind {
  /** A customer account: in the directory, with notices and SLA reports. */
  CUSTOMER,
  /** The sla-evaluator's probe sources: left out of the directory, no notices, no SLA reports. */
  PROBE
}
