/**
 * The pure calculation of the SLA: no I/O, no framework, only {@code java.time} and the contract's
 * business-day calendar.
 *
 * <p>{@link dev.tributary.sla.evaluation.MonthEvaluator} turns one workspace's month of evidence
 * (probe results, request counts, scheduled maintenance windows, declared exclusions) into a
 * verdict for every minute and the month's availability against the 99.99% target (SLA §1 to §3).
 * {@link dev.tributary.sla.evaluation.TerminationRightEvaluator} decides the Special Termination
 * Right from the months' outcomes (SLA §4), and {@link dev.tributary.sla.evaluation.Refunds}
 * computes the pro-rata refund of prepaid fees when that right is exercised.
 */
package dev.tributary.sla.evaluation;
