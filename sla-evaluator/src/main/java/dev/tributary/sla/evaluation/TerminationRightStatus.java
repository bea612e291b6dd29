package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * The SLA §4 Special Termination Right as of a moment: status NONE, AVAILABLE, WAIVED or EXERCISED,
 * with the reported trigger's months, awareness and deadline, and every trigger found.
 */
public record TerminationRightStatus(
    String status,
    List<YearMonth> triggeringMonths,
    Instant awareAt,
    Instant deadline,
    Instant exercisedAt,
    List<Trigger> triggers) {}
