package dev.tributary.ingestion.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

/**
 * The probe workspace and its sources, ensured in one transaction (plain SQL). A transaction-scoped
 * advisory lock serialises the calls of every replica, so two concurrent calls for one name cannot
 * create two sources; the unique partial index {@code workspaces_one_probe} keeps the probe
 * workspace single in any case.
 */
@ApplicationScoped
public class ProbeSourceRepository {

  /** The name of the one workspace of kind PROBE. */
  public static final String PROBE_WORKSPACE_NAME = "Tributary probes";

  /** Any constant works: it only has to be the same on every replica ("tribprob" in ASCII). */
  private static final long LOCK_KEY = 0x7472696270726f62L;

  /** What {@link #ensure} did to the source. */
  public enum Outcome {
    CREATED,
    KEY_CHANGED,
    UNCHANGED,
    /** The source exists with this key, revoked: a revoked key is never reinstated. */
    KEY_REVOKED,
    /** Another source already has this key. */
    KEY_IN_USE
  }

  public record Ensured(UUID workspaceId, UUID sourceId, Outcome outcome) {}

  private static final String LOCK = "select pg_advisory_xact_lock($1)";

  private static final String INSERT_WORKSPACE =
      """
      insert into ingestion.workspaces (id, name, time_zone, kind, created_at)
      values ($1, $2, 'UTC', 'PROBE', $3)
      on conflict (kind) where kind = 'PROBE' do nothing
      """;

  private static final String PROBE_WORKSPACE =
      "select id from ingestion.workspaces where kind = 'PROBE'";

  private static final String SOURCE_BY_NAME =
      """
      select id, write_key_hash, revoked_at is not null as revoked
      from ingestion.sources where workspace_id = $1 and name = $2
      order by created_at, id limit 1
      """;

  private static final String SOURCE_BY_HASH =
      "select id from ingestion.sources where write_key_hash = $1";

  private static final String INSERT_SOURCE =
      """
      insert into ingestion.sources
          (id, workspace_id, name, write_key_hash, write_key_hint, created_at)
      values ($1, $2, $3, $4, $5, $6)
      """;

  private static final String UPDATE_KEY =
      """
      update ingestion.sources set write_key_hash = $2, write_key_hint = $3, revoked_at = null
      where id = $1
      """;

  private final Pool pool;

  public ProbeSourceRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Ensures the probe workspace and, in it, the source {@code name} whose write key hashes to
   * {@code hash}: creates it, changes its key, or leaves it as it is.
   */
  public Uni<Ensured> ensure(String name, byte[] hash, String hint, Instant now) {
    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(LOCK)
                .execute(Tuple.of(LOCK_KEY))
                .flatMap(
                    locked ->
                        conn.preparedQuery(INSERT_WORKSPACE)
                            .execute(Tuple.of(UUID.randomUUID(), PROBE_WORKSPACE_NAME, at)))
                .flatMap(inserted -> conn.preparedQuery(PROBE_WORKSPACE).execute())
                .map(rows -> rows.iterator().next().getUUID(0))
                .flatMap(workspaceId -> ensureSource(conn, workspaceId, name, hash, hint, at)));
  }

  private static Uni<Ensured> ensureSource(
      SqlConnection conn,
      UUID workspaceId,
      String name,
      byte[] hash,
      String hint,
      OffsetDateTime at) {
    Uni<Row> existing =
        conn.preparedQuery(SOURCE_BY_NAME)
            .execute(Tuple.of(workspaceId, name))
            .map(ProbeSourceRepository::firstOrNull);
    Uni<UUID> keyOwner =
        conn.preparedQuery(SOURCE_BY_HASH)
            .execute(Tuple.tuple().addBuffer(Buffer.buffer(hash)))
            .map(ProbeSourceRepository::firstOrNull)
            .map(row -> row == null ? null : row.getUUID(0));
    return existing.flatMap(
        source ->
            keyOwner.flatMap(
                owner -> {
                  if (source == null) {
                    if (owner != null) {
                      return Uni.createFrom()
                          .item(new Ensured(workspaceId, null, Outcome.KEY_IN_USE));
                    }
                    UUID id = UUID.randomUUID();
                    return conn.preparedQuery(INSERT_SOURCE)
                        .execute(
                            Tuple.tuple()
                                .addUUID(id)
                                .addUUID(workspaceId)
                                .addString(name)
                                .addBuffer(Buffer.buffer(hash))
                                .addString(hint)
                                .addOffsetDateTime(at))
                        .map(done -> new Ensured(workspaceId, id, Outcome.CREATED));
                  }
                  UUID id = source.getUUID(0);
                  boolean sameKey = Arrays.equals(source.getBuffer(1).getBytes(), hash);
                  if (sameKey) {
                    Outcome outcome =
                        source.getBoolean(2) ? Outcome.KEY_REVOKED : Outcome.UNCHANGED;
                    return Uni.createFrom().item(new Ensured(workspaceId, id, outcome));
                  }
                  if (owner != null) {
                    return Uni.createFrom().item(new Ensured(workspaceId, id, Outcome.KEY_IN_USE));
                  }
                  return conn.preparedQuery(UPDATE_KEY)
                      .execute(
                          Tuple.tuple().addUUID(id).addBuffer(Buffer.buffer(hash)).addString(hint))
                      .map(done -> new Ensured(workspaceId, id, Outcome.KEY_CHANGED));
                }));
  }

  private static Row firstOrNull(RowSet<Row> rows) {
    RowIterator<Row> it = rows.iterator();
    return it.hasNext() ? it.next() : null;
  }
}
