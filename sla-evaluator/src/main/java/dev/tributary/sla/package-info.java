/**
 * Tributary sla-evaluator: probes the six Segment endpoints every minute and computes the
 * contract's 99.99% monthly availability.
 *
 * <p>A skeleton for now: the service boots and answers {@code /q/health}, {@code /q/metrics} and
 * {@code /q/openapi}.
 */
package dev.tributary.sla;
