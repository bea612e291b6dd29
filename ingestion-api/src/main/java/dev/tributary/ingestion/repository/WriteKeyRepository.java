package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.service.AllowedOrigins;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The hot-path lookup of a write key's source and its workspace's limits (plain SQL, no session).
 */
@ApplicationScoped
public class WriteKeyRepository {

  /** What a request needs to know about the source behind a write key. */
  public record SourceIdentity(
      UUID sourceId,
      UUID workspaceId,
      Integer eventsPerSecond,
      Integer burst,
      boolean revoked,
      AllowedOrigins allowedOrigins,
      boolean suspended) {}

  private static final String BY_HASH =
      """
      select s.id, s.workspace_id, w.events_per_second, w.burst, s.revoked_at is not null as revoked,
             s.allowed_origins, w.suspended_at is not null as suspended
      from ingestion.sources s join ingestion.workspaces w on w.id = s.workspace_id
      where s.write_key_hash = $1
      """;

  private final Pool pool;

  public WriteKeyRepository(Pool pool) {
    this.pool = pool;
  }

  /** The source whose key hashes to {@code hash}, or null. */
  public Uni<SourceIdentity> findByHash(byte[] hash) {
    return pool.preparedQuery(BY_HASH)
        .execute(Tuple.tuple().addBuffer(Buffer.buffer(hash)))
        .map(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              if (!it.hasNext()) {
                return null;
              }
              Row row = it.next();
              return new SourceIdentity(
                  row.getUUID(0),
                  row.getUUID(1),
                  row.getInteger(2),
                  row.getInteger(3),
                  row.getBoolean(4),
                  allowedOrigins(row.getArrayOfStrings(5)),
                  row.getBoolean(6));
            });
  }

  private static AllowedOrigins allowedOrigins(String[] patterns) {
    return patterns == null ? AllowedOrigins.ANY : AllowedOrigins.of(List.of(patterns));
  }
}
