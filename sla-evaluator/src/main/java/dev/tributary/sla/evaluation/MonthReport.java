package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One workspace's month against the SLA §1 target of 99.99% monthly availability, with the minutes
 * excluded under SLA §2 and §3 and the flags raised on the way.
 */
public record MonthReport(
    String month,
    String timeZone,
    Instant periodStart,
    Instant periodEnd,
    long totalMinutes,
    long excludedMinutes,
    Map<String, Long> excludedByCategory,
    long maintenanceExcludedMinutes,
    long maintenanceOverCapMinutes,
    long noDataMinutes,
    long pendingMinutes,
    long unavailableMinutes,
    long eligibleMinutes,
    long availableMinutes,
    String availabilityPercent,
    String targetPercent,
    boolean targetMet,
    boolean complete,
    long errorBudgetMinutes,
    long errorBudgetRemainingMinutes,
    List<Flag> flags,
    List<MaintenanceWindowOutcome> maintenanceWindows,
    List<ExclusionOutcome> exclusions,
    List<UnavailableMinute> unavailable) {}
