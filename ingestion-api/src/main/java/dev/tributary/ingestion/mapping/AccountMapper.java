package dev.tributary.ingestion.mapping;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.domain.Contact;
import dev.tributary.ingestion.domain.Source;
import dev.tributary.ingestion.domain.Workspace;
import dev.tributary.ingestion.dto.AccountDtos.ContactDto;
import dev.tributary.ingestion.dto.AccountDtos.EventView;
import dev.tributary.ingestion.dto.AccountDtos.SourceView;
import dev.tributary.ingestion.dto.AccountDtos.WorkspaceView;
import dev.tributary.ingestion.repository.EventRepository.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Entities to DTOs and back; entities never leave the service layer. */
@ApplicationScoped
public class AccountMapper {

  private final IngestionConfig.RateLimit defaults;
  private final IngestionConfig.Retention retention;

  public AccountMapper(IngestionConfig config) {
    this.defaults = config.rateLimit();
    this.retention = config.retention();
  }

  public WorkspaceView toView(Workspace workspace) {
    return new WorkspaceView(
        workspace.id,
        workspace.name,
        workspace.timeZone,
        workspace.createdAt,
        workspace.contacts.stream().map(AccountMapper::toDto).toList(),
        workspace.eventsPerSecond != null ? workspace.eventsPerSecond : defaults.eventsPerSecond(),
        workspace.burst != null ? workspace.burst : defaults.burst(),
        workspace.kind.name(),
        retentionDays(workspace),
        null);
  }

  /** The workspace's retention in days: its own, else the default; never above the maximum. */
  public int retentionDays(Workspace workspace) {
    int days = workspace.retentionDays != null ? workspace.retentionDays : retention.defaultDays();
    return Math.min(days, retention.maxDays());
  }

  public SourceView toView(Source source) {
    return new SourceView(
        source.id,
        source.workspaceId,
        source.name,
        source.writeKeyHint,
        source.createdAt,
        source.revokedAt,
        allowedOrigins(source));
  }

  /** The source's allowed origins; empty: any. */
  public static List<String> allowedOrigins(Source source) {
    return source.allowedOrigins == null ? List.of() : List.of(source.allowedOrigins);
  }

  public EventView toView(StoredEvent event) {
    return new EventView(
        event.messageId(), event.type(), event.receivedAt(), event.timestamp(), event.payload());
  }

  public static Contact toEntity(ContactDto dto) {
    return new Contact(blankToNull(dto.name()), blankToNull(dto.email()), blankToNull(dto.phone()));
  }

  private static ContactDto toDto(Contact contact) {
    return new ContactDto(contact.name, contact.email, contact.phone);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
