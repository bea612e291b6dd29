package dev.tributary.sla.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A workspace as ingestion-api's {@code /internal/v1/workspaces} describes it; its {@code timeZone}
 * is the contract time zone its months are counted in.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkspaceRecord(UUID id, String name, String timeZone, Instant createdAt) {

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
