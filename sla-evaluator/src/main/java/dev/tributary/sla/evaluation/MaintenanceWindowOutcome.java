package dev.tributary.sla.evaluation;

import java.time.Instant;

/**
 * How one scheduled maintenance window (SLA §3) counted in a month: whether its notice qualified,
 * and how many of its minutes in the month were excluded or fell over the 300-minute cap.
 * noticeBusinessDays is null when no notice was sent.
 */
public record MaintenanceWindowOutcome(
    String id,
    Instant start,
    Instant end,
    Instant noticeSentAt,
    Integer noticeBusinessDays,
    boolean noticeQualifies,
    boolean insideWeekendWindow,
    long minutesInMonth,
    long excludedMinutes,
    long overCapMinutes) {}
