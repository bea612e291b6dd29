package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.service.AllowedOrigins;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** A source with its workspace's limits, and its key's hash (to match many lookups at once). */
  private static final String SOURCE_WITH_LIMITS =
      """
      select s.id, s.workspace_id, w.events_per_second, w.burst, s.revoked_at is not null as revoked,
             s.allowed_origins, w.suspended_at is not null as suspended, s.write_key_hash
      from ingestion.sources s join ingestion.workspaces w on w.id = s.workspace_id
      """;

  private static final String BY_HASH = SOURCE_WITH_LIMITS + "where s.write_key_hash = $1";

  private static final String BY_HASHES = SOURCE_WITH_LIMITS + "where s.write_key_hash = any($1)";

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
              return it.hasNext() ? identity(it.next()) : null;
            });
  }

  /** The sources whose keys hash to one of {@code hashes}, by hash; unknown hashes are absent. */
  public Uni<Map<ByteBuffer, SourceIdentity>> findByHashes(List<byte[]> hashes) {
    io.vertx.core.buffer.Buffer[] values =
        hashes.stream()
            .map(io.vertx.core.buffer.Buffer::buffer)
            .toArray(io.vertx.core.buffer.Buffer[]::new);
    // The core tuple: the Mutiny one has no array of buffers.
    return pool.preparedQuery(BY_HASHES)
        .execute(Tuple.newInstance(io.vertx.sqlclient.Tuple.tuple().addArrayOfBuffer(values)))
        .map(
            rows -> {
              Map<ByteBuffer, SourceIdentity> found = new HashMap<>();
              for (Row row : rows) {
                found.put(ByteBuffer.wrap(row.getBuffer(7).getBytes()), identity(row));
              }
              return found;
            });
  }

  private static SourceIdentity identity(Row row) {
    return new SourceIdentity(
        row.getUUID(0),
        row.getUUID(1),
        row.getInteger(2),
        row.getInteger(3),
        row.getBoolean(4),
        allowedOrigins(row.getArrayOfStrings(5)),
        row.getBoolean(6));
  }

  private static AllowedOrigins allowedOrigins(String[] patterns) {
    return patterns == null ? AllowedOrigins.ANY : AllowedOrigins.of(List.of(patterns));
  }
}
