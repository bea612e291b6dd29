package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Everything one workspace's month depends on (SLA §1 to §3). asOf nullable: null = the whole month
 * is past.
 */
public record MonthEvidence(
    YearMonth month,
    ZoneId timeZone,
    List<ProbeMinute> probes,
    List<RequestMinute> requests,
    List<MaintenanceWindow> maintenanceWindows,
    List<Exclusion> exclusions,
    Instant asOf) {

  /** Requires the month and zone and copies the lists, so the evidence cannot change underneath. */
  public MonthEvidence {
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(timeZone, "timeZone");
    probes = List.copyOf(probes);
    requests = List.copyOf(requests);
    maintenanceWindows = List.copyOf(maintenanceWindows);
    exclusions = List.copyOf(exclusions);
  }
}
