package dev.tributary.notice.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A workspace of a notice's audience, as ingestion-api described it when the notice was created.
 */
@Entity
@Table(name = "notice_recipients")
@IdClass(NoticeRecipient.Key.class)
public class NoticeRecipient {

  @Id
  @Column(name = "notice_id")
  public UUID noticeId;

  @Id
  @Column(name = "workspace_id")
  public UUID workspaceId;

  @Column(name = "workspace_name", nullable = false)
  public String workspaceName;

  @Column(name = "time_zone", nullable = false)
  public String timeZone;

  @Column(name = "workspace_created_at", nullable = false)
  public Instant workspaceCreatedAt;

  /** The primary key (notice, workspace). */
  public static class Key implements Serializable {
    public UUID noticeId;
    public UUID workspaceId;

    public Key() {}

    public Key(UUID noticeId, UUID workspaceId) {
      this.noticeId = noticeId;
      this.workspaceId = workspaceId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(noticeId, k.noticeId)
          && Objects.equals(workspaceId, k.workspaceId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(noticeId, workspaceId);
    }
  }
}
