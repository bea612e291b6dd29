package dev.tributary.sla.repository;

import static dev.tributary.sla.repository.EvidenceRepository.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The private links of the workspaces' status pages: per workspace the SHA-256 (hex) of its one
 * valid token. The token itself is never stored.
 */
@ApplicationScoped
public class StatusLinkRepository {

  private final Pool pool;

  public StatusLinkRepository(Pool pool) {
    this.pool = pool;
  }

  /** Makes {@code tokenSha256} the workspace's only valid link (the previous one stops working). */
  public Uni<Void> replace(UUID workspaceId, String tokenSha256, Instant at, String by) {
    return pool.preparedQuery(
            """
            insert into sla.status_links (workspace_id, token_sha256, created_at, created_by)
            values ($1, $2, $3, $4)
            on conflict (workspace_id) do update set
                token_sha256 = excluded.token_sha256,
                created_at = excluded.created_at,
                created_by = excluded.created_by
            """)
        .execute(Tuple.of(workspaceId, tokenSha256, utc(at), by))
        .replaceWithVoid();
  }

  /** The workspace whose link has this token hash, if any. */
  public Uni<Optional<UUID>> workspaceOf(String tokenSha256) {
    return pool.preparedQuery("select workspace_id from sla.status_links where token_sha256 = $1")
        .execute(Tuple.of(tokenSha256))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getUUID("workspace_id")));
  }
}
