package dev.tributary.ingestion.dto;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.tributary.ingestion.dto.SuspensionDtos.SuspendedPeriodView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The admin API's request and response bodies. */
public final class AccountDtos {

  private AccountDtos() {}

  /** A contact designated for legal notices; email and/or phone (E.164, e.g. +14155550100). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContactDto(
      @Size(max = 200) String name,
      @Email @Size(max = 320) String email,
      @Pattern(
              regexp = "\\+[1-9][0-9]{6,14}",
              message = "must be an E.164 number such as +14155550100")
          String phone) {

    @JsonIgnore
    @AssertTrue(message = "a contact needs an email or a phone")
    public boolean isReachable() {
      return (email != null && !email.isBlank()) || (phone != null && !phone.isBlank());
    }
  }

  public record CreateWorkspace(
      @NotBlank @Size(max = 200) String name,
      /** IANA time zone of the contract (SLA months); default UTC. */
      @Size(max = 64) String timeZone,
      @Size(max = 50) List<@NotNull @Valid ContactDto> contacts,
      /** Events per second for this workspace; default from the service configuration. */
      @Positive Integer eventsPerSecond,
      @Positive Integer burst,
      /** Days its events are kept (1 to the operator's maximum); default from the configuration. */
      Integer retentionDays) {}

  public record UpdateLimits(@Positive Integer eventsPerSecond, @Positive Integer burst) {}

  /**
   * Body of {@code PUT /admin/v1/workspaces/{id}/retention}: days the workspace's events are kept,
   * 1 to the operator's maximum; null: the configured default. Checked by the service ({@code 400
   * retention_out_of_range}).
   */
  public record UpdateRetention(Integer retentionDays) {}

  public record WorkspaceView(
      UUID id,
      String name,
      String timeZone,
      Instant createdAt,
      List<ContactDto> contacts,
      int eventsPerSecond,
      int burst,
      /** CUSTOMER or PROBE (the sla-evaluator's probe sources). */
      String kind,
      /** Days its events are kept: its own setting, else the configured default. */
      int retentionDays,
      /**
       * The internal directory's periods the workspace was suspended (the SLA excludes them);
       * absent from the admin API's views.
       */
      @JsonInclude(JsonInclude.Include.NON_NULL) List<SuspendedPeriodView> suspensions) {

    public WorkspaceView withSuspensions(List<SuspendedPeriodView> periods) {
      return new WorkspaceView(
          id,
          name,
          timeZone,
          createdAt,
          contacts,
          eventsPerSecond,
          burst,
          kind,
          retentionDays,
          periods);
    }
  }

  /**
   * A new source. {@code allowedOrigins}: the web origins browsers may send from with its key
   * ({@code https://www.example.com}, {@code https://*.example.com}); absent or empty: any.
   */
  public record CreateSource(@NotBlank @Size(max = 200) String name, List<String> allowedOrigins) {}

  /** Body of {@code PUT /admin/v1/sources/{id}/allowed-origins}; empty: any origin. */
  public record UpdateAllowedOrigins(@NotNull List<String> allowedOrigins) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SourceView(
      UUID id,
      UUID workspaceId,
      String name,
      String writeKeyHint,
      Instant createdAt,
      Instant revokedAt,
      /** Empty: any origin. */
      List<String> allowedOrigins) {}

  /** Answer to source creation: the only time the write key is shown. */
  public record CreatedSource(
      UUID id,
      UUID workspaceId,
      String name,
      String writeKey,
      String writeKeyHint,
      Instant createdAt,
      List<String> allowedOrigins) {}

  /**
   * Body of {@code PUT /internal/v1/probe-sources/{name}}: the key the sla-evaluator derives from
   * its own secret (24 to 200 characters). Checked by the service (422), never logged.
   */
  public record ProbeSourceRequest(String writeKey) {

    @Override
    public String toString() {
      return "ProbeSourceRequest[writeKey=…]";
    }
  }

  /** Answer to {@code PUT /internal/v1/probe-sources/{name}}. */
  public record ProbeSourceView(UUID workspaceId, UUID sourceId, String name) {}

  public record EventView(
      String messageId,
      String type,
      Instant receivedAt,
      Instant timestamp,
      @JsonRawValue String event) {}
}
