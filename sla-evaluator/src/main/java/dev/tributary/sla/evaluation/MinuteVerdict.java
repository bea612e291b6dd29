package dev.tributary.sla.evaluation;

import java.time.Instant;

/**
 * The verdict on one minute (SLA §1 to §3). reason: null for AVAILABLE/PENDING; "PROBES_FAILED" or
 * "ERROR_RATE" for UNAVAILABLE; "NO_DATA"; for EXCLUDED the category name or
 * "SCHEDULED_MAINTENANCE". detail: human text, null for AVAILABLE.
 */
public record MinuteVerdict(Instant minute, Verdict verdict, String reason, String detail) {}
