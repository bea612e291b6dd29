package dev.tributary.notice.repository;

import dev.tributary.notice.domain.Notice;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class NoticeRepository implements PanacheRepositoryBase<Notice, UUID> {

  public Uni<Notice> findByIdempotencyKey(String key) {
    return find("idempotencyKey", key).firstResult();
  }

  /** The notices whose audience included the workspace, newest first. */
  public Uni<List<Notice>> listForWorkspace(UUID workspaceId) {
    return find(
            "select n from Notice n where exists (select 1 from NoticeRecipient r"
                + " where r.noticeId = n.id and r.workspaceId = ?1)"
                + " order by n.createdAt desc, n.id",
            workspaceId)
        .list();
  }
}
