package dev.tributary.sla.evaluation;

import java.time.Instant;

/** A declared SLA §2 exclusion over [start, end); {@code declaredBy} is nullable. */
public record Exclusion(
    String id,
    Instant start,
    Instant end,
    ExclusionCategory category,
    String reason,
    String declaredBy) {}
