package dev.tributary.ingestion.service;

import java.time.Instant;
import java.util.UUID;

/** One accepted event as it is stored. {@code payload} is the normalised JSON. */
public record EventRow(
    UUID sourceId,
    String messageId,
    UUID workspaceId,
    String type,
    Instant receivedAt,
    Instant timestamp,
    String payload) {}
