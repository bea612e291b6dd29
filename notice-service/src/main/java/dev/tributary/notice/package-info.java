/**
 * Tributary notice-service: contract notices by email and SMS, with delivery evidence.
 *
 * <p>A skeleton for now: the service boots and answers {@code /q/health}, {@code /q/metrics} and
 * {@code /q/openapi}.
 */
package dev.tributary.notice;
