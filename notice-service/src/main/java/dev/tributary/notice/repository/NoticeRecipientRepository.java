package dev.tributary.notice.repository;

import dev.tributary.notice.domain.NoticeRecipient;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class NoticeRecipientRepository
    implements PanacheRepositoryBase<NoticeRecipient, NoticeRecipient.Key> {

  public Uni<List<NoticeRecipient>> listByNotice(UUID noticeId) {
    return list("noticeId", Sort.by("workspaceName").and("workspaceId"), noticeId);
  }
}
