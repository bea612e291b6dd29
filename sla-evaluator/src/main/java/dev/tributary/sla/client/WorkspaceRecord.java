package dev.tributary.sla.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * A workspace as ingestion-api's {@code /internal/v1/workspaces} describes it; its {@code timeZone}
 * is the contract time zone its months are counted in, its {@code suspensions} the periods its
 * write keys were refused because the provider suspended it (absent from an ingestion-api older
 * than suspensions: none).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkspaceRecord(
    UUID id, String name, String timeZone, Instant createdAt, List<SuspendedPeriod> suspensions) {

  /** A suspension in effect over [start, end); end null while it lasts. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SuspendedPeriod(UUID suspensionId, Instant start, Instant end, String reason) {}

  public WorkspaceRecord(UUID id, String name, String timeZone, Instant createdAt) {
    this(id, name, timeZone, createdAt, List.of());
  }

  public WorkspaceRecord {
    suspensions = suspensions == null ? List.of() : List.copyOf(suspensions);
  }

  /** The contract time zone; UTC when unset or unknown to this JVM. */
  public ZoneId zone() {
    if (timeZone == null || timeZone.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
