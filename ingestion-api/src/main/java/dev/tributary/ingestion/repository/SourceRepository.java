package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.domain.Source;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SourceRepository implements PanacheRepositoryBase<Source, UUID> {

  public Uni<List<Source>> listByWorkspace(UUID workspaceId) {
    return list("workspaceId", Sort.by("createdAt").and("id"), workspaceId);
  }
}
