package dev.tributary.sla.evaluation;

import java.time.Instant;

/** One minute counted as unavailable under SLA §1, with why. */
public record UnavailableMinute(Instant minute, String reason, String detail) {}
