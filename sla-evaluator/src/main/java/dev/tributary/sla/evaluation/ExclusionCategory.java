package dev.tributary.sla.evaluation;

/** The SLA §2 exclusions: causes of unavailability that do not count against the service. */
public enum ExclusionCategory {
  UNAUTHORIZED_USE,
  CUSTOMER_CAUSED,
  FORCE_MAJEURE,
  DENIAL_OF_SERVICE,
  THIRD_PARTY_OUTAGE,
  INTERNET_PROBLEM,
  EMERGENCY_MAINTENANCE;

  /** Whether an exclusion of this category concerns one workspace rather than every customer. */
  public boolean requiresWorkspace() {
    return this == UNAUTHORIZED_USE || this == CUSTOMER_CAUSED;
  }
}
