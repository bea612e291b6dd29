package dev.tributary.notice.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A workspace as ingestion-api's {@code /internal/v1/workspaces} describes it (its {@code
 * WorkspaceView}); fields this service does not need (limits) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkspaceRecord(
    UUID id, String name, String timeZone, Instant createdAt, List<ContactRecord> contacts) {

  /** A contact designated for legal notices: email and/or phone (E.164). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ContactRecord(String name, String email, String phone) {}

  public List<ContactRecord> contactsOrEmpty() {
    return contacts == null ? List.of() : contacts;
  }
}
