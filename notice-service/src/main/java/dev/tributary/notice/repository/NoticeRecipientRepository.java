package dev.tributary.notice.repository;

import dev.tributary.notice.domain.NoticeRecipient;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class NoticeRecipientRepository
    implements PanacheRepositoryBase<NoticeRecipient, NoticeRecipient.Key> {

  static final String FIND_BY_KEYS =
      """
      select r.notice_id, r.workspace_id, r.workspace_name, r.time_zone, r.workspace_created_at
        from notice.notice_recipients r
        join unnest($1::uuid[], $2::uuid[]) as k(notice_id, workspace_id)
             on r.notice_id = k.notice_id and r.workspace_id = k.workspace_id
      """;

  private final Pool pool;

  public NoticeRecipientRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<List<NoticeRecipient>> listByNotice(UUID noticeId) {
    return list("noticeId", Sort.by("workspaceName").and("workspaceId"), noticeId);
  }

  /**
   * The snapshots of these (notice, workspace) pairs in one statement, outside any session: the
   * delivery worker reads one batch's worth at a time, read-only.
   */
  public Uni<List<NoticeRecipient>> findByKeys(Collection<NoticeRecipient.Key> keys) {
    UUID[] notices = keys.stream().map(k -> k.noticeId).toArray(UUID[]::new);
    UUID[] workspaces = keys.stream().map(k -> k.workspaceId).toArray(UUID[]::new);
    return pool.preparedQuery(FIND_BY_KEYS)
        .execute(Tuple.of(notices, workspaces))
        .map(
            rows -> {
              List<NoticeRecipient> found = new ArrayList<>();
              for (Row row : rows) {
                NoticeRecipient recipient = new NoticeRecipient();
                recipient.noticeId = row.getUUID("notice_id");
                recipient.workspaceId = row.getUUID("workspace_id");
                recipient.workspaceName = row.getString("workspace_name");
                recipient.timeZone = row.getString("time_zone");
                recipient.workspaceCreatedAt =
                    row.getOffsetDateTime("workspace_created_at").toInstant();
                found.add(recipient);
              }
              return found;
            });
  }
}
