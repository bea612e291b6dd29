package dev.tributary.ingestion.service;

import java.time.Instant;
import java.util.UUID;

/**
 * One accepted event as it is stored. {@code payload} is the normalised JSON in UTF-8, as Jackson
 * wrote it and as it goes to PostgreSQL (a text would be encoded again, one character at a time, on
 * its way to the wire). Being an array, it takes no part in the record's equality.
 */
public record EventRow(
    UUID sourceId,
    String messageId,
    UUID workspaceId,
    String type,
    Instant receivedAt,
    Instant timestamp,
    byte[] payload) {}
