package dev.tributary.sla.evaluation;

/**
 * Something about the month's scheduled maintenance (SLA §3) worth a human look; {@code windowId}
 * is nullable.
 */
public record Flag(String code, String windowId, String detail) {}
