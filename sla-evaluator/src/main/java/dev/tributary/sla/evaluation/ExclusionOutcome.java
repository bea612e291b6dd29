package dev.tributary.sla.evaluation;

import java.time.Instant;

/** How many minutes of a month one declared SLA §2 exclusion excluded. */
public record ExclusionOutcome(
    String id,
    Instant start,
    Instant end,
    String category,
    String reason,
    String declaredBy,
    long excludedMinutes) {}
