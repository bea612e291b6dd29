package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * One event giving the SLA §4 Special Termination Right: the failed month completing it, the rule
 * ("TWO_CONSECUTIVE_MONTHS" or "THREE_OF_SIX_MONTHS"), the failed months it rests on, when the
 * customer became aware of it (null while pending), the 30-day exercise deadline and its status
 * (AVAILABLE, WAIVED or EXERCISED).
 */
public record Trigger(
    YearMonth completedBy,
    String rule,
    List<YearMonth> months,
    Instant awareAt,
    Instant deadline,
    String status) {}
