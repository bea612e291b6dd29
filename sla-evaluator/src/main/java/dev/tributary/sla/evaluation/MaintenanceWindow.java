package dev.tributary.sla.evaluation;

import java.time.Instant;

/**
 * A scheduled maintenance window [start, end) (SLA §3). It excludes minutes only when its notice
 * was sent at least three business days before {@code start}; {@code noticeSentAt} and {@code
 * description} are nullable.
 */
public record MaintenanceWindow(
    String id, Instant start, Instant end, Instant noticeSentAt, String description) {}
