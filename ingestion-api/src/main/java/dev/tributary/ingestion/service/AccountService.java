package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.domain.Source;
import dev.tributary.ingestion.domain.Workspace;
import dev.tributary.ingestion.domain.WorkspaceKind;
import dev.tributary.ingestion.dto.AccountDtos.CreateSource;
import dev.tributary.ingestion.dto.AccountDtos.CreateWorkspace;
import dev.tributary.ingestion.dto.AccountDtos.CreatedSource;
import dev.tributary.ingestion.dto.AccountDtos.SourceView;
import dev.tributary.ingestion.dto.AccountDtos.UpdateLimits;
import dev.tributary.ingestion.dto.AccountDtos.UpdateRetention;
import dev.tributary.ingestion.dto.AccountDtos.WorkspaceView;
import dev.tributary.ingestion.dto.SuspensionDtos.SuspendedPeriodView;
import dev.tributary.ingestion.mapping.AccountMapper;
import dev.tributary.ingestion.repository.SourceRepository;
import dev.tributary.ingestion.repository.SuspensionRepository;
import dev.tributary.ingestion.repository.SuspensionRepository.SuspendedPeriod;
import dev.tributary.ingestion.repository.WorkspaceRepository;
import dev.tributary.support.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Workspaces and their sources: the accounts every other service reads. */
@ApplicationScoped
public class AccountService {

  private final WorkspaceRepository workspaces;
  private final SourceRepository sources;
  private final SuspensionRepository suspensions;
  private final AccountMapper mapper;
  private final SourceAuthenticator authenticator;
  private final ThroughputLimiter limiter;
  private final Clock clock;
  private final IngestionConfig.Retention retention;

  public AccountService(
      WorkspaceRepository workspaces,
      SourceRepository sources,
      SuspensionRepository suspensions,
      AccountMapper mapper,
      SourceAuthenticator authenticator,
      ThroughputLimiter limiter,
      Clock clock,
      IngestionConfig config) {
    this.retention = config.retention();
    this.workspaces = workspaces;
    this.sources = sources;
    this.suspensions = suspensions;
    this.mapper = mapper;
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.clock = clock;
  }

  @WithTransaction
  public Uni<WorkspaceView> createWorkspace(CreateWorkspace request) {
    Workspace workspace = new Workspace();
    workspace.id = UUID.randomUUID();
    workspace.name = request.name().strip();
    workspace.timeZone = validZone(request.timeZone());
    workspace.eventsPerSecond = request.eventsPerSecond();
    workspace.burst = request.burst();
    workspace.retentionDays = validRetention(request.retentionDays());
    workspace.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (request.contacts() != null) {
      workspace.contacts.addAll(request.contacts().stream().map(AccountMapper::toEntity).toList());
    }
    return workspaces.persist(workspace).map(mapper::toView);
  }

  @WithSession
  public Uni<List<WorkspaceView>> listWorkspaces() {
    return workspaces.listByCreation().map(list -> list.stream().map(mapper::toView).toList());
  }

  @WithSession
  public Uni<WorkspaceView> getWorkspace(UUID id) {
    return requireWorkspace(id).map(mapper::toView);
  }

  /**
   * A page of the other services' directory: at most {@code limit} customer workspaces, oldest
   * first by (createdAt, id), strictly after the customer workspace {@code after} (null: from the
   * start); {@code 400 invalid_cursor} when {@code after} is not a customer workspace.
   */
  @WithSession
  public Uni<List<WorkspaceView>> listCustomerWorkspaces(UUID after, int limit) {
    Uni<List<Workspace>> page =
        after == null
            ? workspaces.listCustomersByCreation(limit)
            : workspaces
                .findById(after)
                .invoke(
                    cursor -> {
                      if (cursor == null || cursor.kind != WorkspaceKind.CUSTOMER) {
                        throw ApiException.badRequest(
                            "invalid_cursor", "after must be the id of a customer workspace");
                      }
                    })
                .flatMap(cursor -> workspaces.listCustomersByCreationAfter(cursor, limit));
    return page.map(list -> list.stream().map(mapper::toView).toList())
        .flatMap(this::withSuspensions);
  }

  /** The views with their suspended periods, read in one query for the whole page. */
  private Uni<List<WorkspaceView>> withSuspensions(List<WorkspaceView> views) {
    return suspensions
        .periods(views.stream().map(WorkspaceView::id).toList())
        .map(
            periods -> {
              Map<UUID, List<SuspendedPeriodView>> byWorkspace =
                  periods.stream()
                      .collect(
                          Collectors.groupingBy(
                              SuspendedPeriod::workspaceId,
                              Collectors.mapping(
                                  p ->
                                      new SuspendedPeriodView(
                                          p.suspensionId(), p.start(), p.end(), p.reason()),
                                  Collectors.toList())));
              return views.stream()
                  .map(v -> v.withSuspensions(byWorkspace.getOrDefault(v.id(), List.of())))
                  .toList();
            });
  }

  /** A customer workspace; the probe workspace is not found (no notices, no SLA reports). */
  @WithSession
  public Uni<WorkspaceView> getCustomerWorkspace(UUID id) {
    return requireWorkspace(id)
        .invoke(
            workspace -> {
              if (workspace.kind != WorkspaceKind.CUSTOMER) {
                throw ApiException.notFound("workspace " + id);
              }
            })
        .map(mapper::toView)
        .flatMap(view -> withSuspensions(List.of(view)))
        .map(views -> views.get(0));
  }

  /** New limits apply to the next request this replica receives after the answer. */
  public Uni<WorkspaceView> updateLimits(UUID id, UpdateLimits limits) {
    return Panache.withTransaction(
            () ->
                requireWorkspace(id)
                    .invoke(
                        workspace -> {
                          workspace.eventsPerSecond = limits.eventsPerSecond();
                          workspace.burst = limits.burst();
                        })
                    .map(mapper::toView))
        // After the commit: a lookup between clearing and committing would cache the old row.
        .invoke(
            view -> {
              limiter.reset(id);
              authenticator.invalidateAll();
            });
  }

  /**
   * Sets how many days the workspace's events are kept (null: the default). A shorter retention
   * deletes the older events at the next run of the retention job; a longer one keeps what is still
   * stored longer (what was already deleted stays deleted).
   */
  @WithTransaction
  public Uni<WorkspaceView> updateRetention(UUID id, UpdateRetention request) {
    Integer days = validRetention(request.retentionDays());
    return requireWorkspace(id)
        .invoke(
            workspace -> {
              workspace.retentionDays = days;
              Log.infof(
                  "retention of workspace %s set to %s days",
                  id, days == null ? "the default" : days);
            })
        .map(mapper::toView);
  }

  @WithTransaction
  public Uni<CreatedSource> createSource(UUID workspaceId, CreateSource request) {
    return requireWorkspace(workspaceId)
        .flatMap(
            workspace -> {
              String writeKey = WriteKeys.newKey();
              Source source = new Source();
              source.id = UUID.randomUUID();
              source.workspaceId = workspace.id;
              source.name = request.name().strip();
              source.writeKeyHash = WriteKeys.hash(writeKey);
              source.writeKeyHint = WriteKeys.hint(writeKey);
              source.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
              source.allowedOrigins = storedOrigins(request.allowedOrigins());
              return sources
                  .persist(source)
                  .map(
                      saved ->
                          new CreatedSource(
                              saved.id,
                              saved.workspaceId,
                              saved.name,
                              writeKey,
                              saved.writeKeyHint,
                              saved.createdAt,
                              AccountMapper.allowedOrigins(saved)));
            });
  }

  @WithSession
  public Uni<List<SourceView>> listSources(UUID workspaceId) {
    return requireWorkspace(workspaceId)
        .flatMap(workspace -> sources.listByWorkspace(workspaceId))
        .map(list -> list.stream().map(mapper::toView).toList());
  }

  @WithSession
  public Uni<SourceView> getSource(UUID sourceId) {
    return requireSource(sourceId).map(mapper::toView);
  }

  /**
   * Revokes the source's write key; idempotent (a second call keeps the first revocation time).
   * This replica refuses the key from the answer on; other replicas within the key cache TTL.
   */
  public Uni<SourceView> revokeSource(UUID sourceId) {
    return Panache.withTransaction(
            () ->
                requireSource(sourceId)
                    .invoke(
                        source -> {
                          if (source.revokedAt == null) {
                            source.revokedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
                            Log.infof("revoked the write key of source %s", source.id);
                          }
                        })
                    .map(mapper::toView))
        // After the commit: a lookup between clearing and committing would cache the old row.
        .invoke(authenticator::invalidateAll);
  }

  /**
   * Replaces the origins browsers may send from with the source's key (empty: any). This replica
   * applies it from the answer on; other replicas within the key cache TTL.
   */
  public Uni<SourceView> updateAllowedOrigins(UUID sourceId, List<String> patterns) {
    String[] stored = storedOrigins(patterns);
    return Panache.withTransaction(
            () ->
                requireSource(sourceId)
                    .invoke(source -> source.allowedOrigins = stored)
                    .map(mapper::toView))
        // After the commit: a lookup between clearing and committing would cache the old row.
        .invoke(authenticator::invalidateAll);
  }

  /** Normalised patterns as stored; null (any origin) for none. */
  private static String[] storedOrigins(List<String> patterns) {
    List<String> normalised;
    try {
      normalised = AllowedOrigins.normalise(patterns);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_origin", e.getMessage());
    }
    return normalised.isEmpty() ? null : normalised.toArray(String[]::new);
  }

  private Uni<Workspace> requireWorkspace(UUID id) {
    return workspaces
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("workspace " + id));
  }

  private Uni<Source> requireSource(UUID id) {
    return sources
        .findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> ApiException.notFound("source " + id));
  }

  /** Null (the default) or 1 to the operator's maximum; else {@code 400 retention_out_of_range}. */
  private Integer validRetention(Integer days) {
    if (days != null && (days < 1 || days > retention.maxDays())) {
      throw ApiException.badRequest(
          "retention_out_of_range",
          "retentionDays must be between 1 and "
              + retention.maxDays()
              + " (or null: the default of "
              + retention.defaultDays()
              + ")");
    }
    return days;
  }

  private static String validZone(String zone) {
    if (zone == null || zone.isBlank()) {
      return "UTC";
    }
    try {
      return ZoneId.of(zone.strip()).getId();
    } catch (DateTimeException e) {
      throw ApiException.badRequest(
          "invalid_time_zone", "timeZone must be an IANA time zone such as Europe/Paris");
    }
  }
}
