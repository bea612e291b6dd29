package dev.tributary.notice.repository;

import dev.tributary.notice.domain.Delivery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class DeliveryRepository implements PanacheRepositoryBase<Delivery, UUID> {

  public Uni<List<Delivery>> listByNotice(UUID noticeId) {
    return list(
        "noticeId",
        Sort.by("stage").and("workspaceId").and("channel").and("address").and("id"),
        noticeId);
  }

  public Uni<List<Delivery>> listByNoticeAndWorkspace(UUID noticeId, UUID workspaceId) {
    return list(
        "noticeId = ?1 and workspaceId = ?2",
        Sort.by("channel").and("address").and("id"),
        noticeId,
        workspaceId);
  }

  public Uni<List<Delivery>> listByWorkspace(UUID workspaceId) {
    return list("workspaceId", Sort.by("createdAt").and("id"), workspaceId);
  }
}
