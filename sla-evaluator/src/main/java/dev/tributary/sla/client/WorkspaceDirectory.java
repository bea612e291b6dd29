package dev.tributary.sla.client;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** ingestion-api's workspace directory, cached for a minute. */
@ApplicationScoped
public class WorkspaceDirectory {

  private static final Duration TTL = Duration.ofMinutes(1);

  private record Snapshot(List<WorkspaceRecord> workspaces, long loadedAtNanos) {
    boolean fresh() {
      return System.nanoTime() - loadedAtNanos < TTL.toNanos();
    }

    Optional<WorkspaceRecord> find(UUID id) {
      return workspaces.stream().filter(w -> w.id().equals(id)).findFirst();
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
    return ingestionApi
        .workspaces()
        .map(list -> new Snapshot(List.copyOf(list), System.nanoTime()))
        .invoke(s -> snapshot = s);
  }
}
