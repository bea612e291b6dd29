/**
 * Tributary notice-service: the notices the customer agreement promises (terms updates, API
 * changes, maintenance, SLA misses, the termination right), their audience snapshot and a
 * transactional outbox of deliveries by email and SMS.
 */
package dev.tributary.notice;
