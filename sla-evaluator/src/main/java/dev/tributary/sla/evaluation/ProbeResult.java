package dev.tributary.sla.evaluation;

import java.time.Instant;

/** One synthetic probe of one endpoint (SLA §1: the evidence that the service was reachable). */
public record ProbeResult(Instant at, String endpoint, boolean ok) {}
