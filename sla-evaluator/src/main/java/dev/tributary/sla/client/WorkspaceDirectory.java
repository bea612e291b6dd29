package dev.tributary.sla.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * ingestion-api's workspace directory, read in pages of {@link IngestionApi#WORKSPACE_PAGE} and
 * cached for a minute (a small record per workspace: ten thousand take about 2 MB).
 */
@ApplicationScoped
public class WorkspaceDirectory {

  private static final Duration TTL = Duration.ofMinutes(1);

  private record Snapshot(
      List<WorkspaceRecord> workspaces, Map<UUID, WorkspaceRecord> byId, long loadedAtNanos) {

    Snapshot(List<WorkspaceRecord> workspaces, long loadedAtNanos) {
      this(
          workspaces,
          workspaces.stream().collect(Collectors.toMap(WorkspaceRecord::id, w -> w, (a, b) -> a)),
          loadedAtNanos);
    }

    boolean fresh() {
      return System.nanoTime() - loadedAtNanos < TTL.toNanos();
    }

    Optional<WorkspaceRecord> find(UUID id) {
      return Optional.ofNullable(byId.get(id));
    }
  }

  private final IngestionApi ingestionApi;
  private volatile Snapshot snapshot;

  WorkspaceDirectory(IngestionApi ingestionApi) {
    this.ingestionApi = ingestionApi;
  }

  /** Every customer workspace. */
  public Uni<List<WorkspaceRecord>> all() {
    Snapshot cached = snapshot;
    return cached != null && cached.fresh()
        ? Uni.createFrom().item(cached.workspaces())
        : reload().map(Snapshot::workspaces);
  }

  /**
   * One workspace, empty when ingestion-api does not know it. A miss reads the directory again, so
   * a workspace created within the cache's minute is found.
   */
  public Uni<Optional<WorkspaceRecord>> find(UUID id) {
    Snapshot cached = snapshot;
    if (cached != null && cached.fresh() && cached.find(id).isPresent()) {
      return Uni.createFrom().item(cached.find(id));
    }
    return reload().map(s -> s.find(id));
  }

  /** Forgets the cached directory (tests change the fake ingestion-api's answer). */
  public void invalidate() {
    snapshot = null;
  }

  private Uni<Snapshot> reload() {
    return readFrom(null, new ArrayList<>())
        .map(list -> new Snapshot(List.copyOf(list), System.nanoTime()))
        .invoke(s -> snapshot = s);
  }

  /** Reads the pages after the workspace {@code after} into {@code into}. */
  private Uni<List<WorkspaceRecord>> readFrom(UUID after, List<WorkspaceRecord> into) {
    return ingestionApi
        .workspaces(after)
        .flatMap(
            page -> {
              into.addAll(page);
              return page.size() < IngestionApi.WORKSPACE_PAGE
                  ? Uni.createFrom().item(into)
                  : readFrom(page.get(page.size() - 1).id(), into);
            });
  }
}
