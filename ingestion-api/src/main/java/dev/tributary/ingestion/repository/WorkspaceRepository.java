package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.domain.Workspace;
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
}
