package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.domain.Workspace;
import dev.tributary.ingestion.domain.WorkspaceKind;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class WorkspaceRepository implements PanacheRepositoryBase<Workspace, UUID> {

  public Uni<List<Workspace>> listByCreation() {
    return listAll(Sort.by("createdAt").and("id"));
  }

  /** The customer workspaces only (no probe workspace), oldest first. */
  public Uni<List<Workspace>> listCustomersByCreation() {
    return list("kind", Sort.by("createdAt").and("id"), WorkspaceKind.CUSTOMER);
  }
}
