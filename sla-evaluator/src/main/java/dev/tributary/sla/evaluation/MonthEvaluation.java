package dev.tributary.sla.evaluation;

import java.util.List;

/**
 * A month's SLA §1 report and the verdict on every minute of the month, chronological, which
 * justifies it.
 */
public record MonthEvaluation(MonthReport report, List<MinuteVerdict> ledger) {}
