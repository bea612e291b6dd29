package dev.tributary.sla.evaluation;

import java.time.Instant;

/**
 * The minutes [start, end) in which no probe result at all was recorded; {@code reason} (nullable)
 * says why when it is known, e.g. that the sla-evaluator itself was not running.
 */
public record ProbeGap(Instant start, Instant end, String reason) {}
