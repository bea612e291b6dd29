package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;

/**
 * Whether a closed month met the SLA §1 target, the input of the SLA §4 Special Termination Right;
 * noticeSentAt (nullable) is when the SLA_MISS notice for the month was sent.
 */
public record MonthOutcome(YearMonth month, boolean targetMet, Instant noticeSentAt) {}
