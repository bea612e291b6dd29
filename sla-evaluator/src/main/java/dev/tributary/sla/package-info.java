/**
 * Tributary sla-evaluator: measures the Data Ingestion API every minute and computes the SLA's
 * monthly availability per workspace.
 *
 * <ul>
 *   <li>{@code evaluation}: the pure calculation (evidence in, report out), also exposed for
 *       audits;
 *   <li>{@code service}: the prober, the collection of request statistics, the notice
 *       synchronisation, the month close and the metrics;
 *   <li>{@code repository}: the evidence, windows, exclusions and frozen reports in PostgreSQL;
 *   <li>{@code client}: ingestion-api and notice-service;
 *   <li>{@code rest}: the HTTP API.
 * </ul>
 */
package dev.tributary.sla;
