package dev.tributary.ingestion.repository;

import static dev.tributary.ingestion.repository.SuspensionRepository.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Closed workspaces and the erasure of their data (Privacy Notice: deleted or anonymised within 60
 * days of closure). Events are deleted in bounded batches, each its own short statement, so the
 * erasure never holds long locks or stalls ingestion; request statistics stay (they are the SLA's
 * evidence, and SLA reports are legal records).
 */
@ApplicationScoped
public class ClosureRepository {

  /** A closed workspace whose data is still to be erased. */
  public record ClosedWorkspace(UUID id, Instant closedAt, UUID closureNoticeId) {}

  private final Pool pool;

  public ClosureRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Closes the workspace at {@code now} and revokes every key of its sources in one transaction;
   * answers whether this call closed it (false: it was closed before, nothing changed).
   */
  public Uni<Boolean> close(UUID workspaceId, Instant now) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "update ingestion.workspaces set closed_at = $2"
                        + " where id = $1 and closed_at is null")
                .execute(Tuple.of(workspaceId, utc(now)))
                .flatMap(
                    rows ->
                        rows.rowCount() == 0
                            ? Uni.createFrom().item(false)
                            : tx.preparedQuery(
                                    "update ingestion.sources set revoked_at = $2"
                                        + " where workspace_id = $1 and revoked_at is null")
                                .execute(Tuple.of(workspaceId, utc(now)))
                                .replaceWith(true)));
  }

  public Uni<Void> setClosureNoticeId(UUID workspaceId, UUID noticeId) {
    return pool.preparedQuery(
            "update ingestion.workspaces set closure_notice_id = $2"
                + " where id = $1 and closure_notice_id is null")
        .execute(Tuple.of(workspaceId, noticeId))
        .replaceWithVoid();
  }

  /** Closed workspaces whose data is not erased yet, oldest closure first. */
  public Uni<List<ClosedWorkspace>> toErase(int limit) {
    return pool.preparedQuery(
            """
            select id, closed_at, closure_notice_id from ingestion.workspaces
            where closed_at is not null and data_erased_at is null
            order by closed_at limit $1
            """)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<ClosedWorkspace> list = new ArrayList<>();
              for (Row row : rows) {
                list.add(
                    new ClosedWorkspace(
                        row.getUUID(0), row.getOffsetDateTime(1).toInstant(), row.getUUID(2)));
              }
              return list;
            });
  }

  /**
   * Deletes at most {@code batch} of the workspace's events in one partition of {@code
   * ingestion.events}: found through the partition's index on {@code (source_id, received_at)},
   * deleted by ctid (a TID scan), so a batch reads only its own rows. Answers how many it deleted.
   */
  public Uni<Integer> deleteEventBatch(UUID workspaceId, String partition, int batch) {
    if (!PARTITION.matcher(partition).matches()) {
      throw new IllegalArgumentException("not an events partition: " + partition);
    }
    return pool.preparedQuery(
            """
            delete from ingestion.%1$s
            where ctid = any (array(
                select e.ctid from ingestion.%1$s e
                where e.source_id = any (array(
                    select id from ingestion.sources where workspace_id = $1))
                limit $2))
            """
                .formatted(partition))
        .execute(Tuple.of(workspaceId, batch))
        .map(rows -> rows.rowCount());
  }

  /** The names of the events' partitions (RetentionRepository creates them). */
  private static final Pattern PARTITION =
      Pattern.compile("events_p[0-9]{8}|events_before_partitioning|events_default");

  /**
   * Deletes the workspace's contacts (the personal data the account holds besides its events) and
   * records the erasure; the workspace row, its sources (revoked) and its statistics stay, so the
   * legal records that name them still resolve.
   */
  public Uni<Void> finishErasure(UUID workspaceId, Instant now) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery("delete from ingestion.workspace_contacts where workspace_id = $1")
                .execute(Tuple.of(workspaceId))
                .flatMap(
                    ignored ->
                        tx.preparedQuery(
                                "update ingestion.workspaces set data_erased_at = $2"
                                    + " where id = $1 and data_erased_at is null")
                            .execute(Tuple.of(workspaceId, utc(now))))
                .replaceWithVoid());
  }

  /** When the workspace's data was erased, null while it is not. */
  public Uni<Instant> erasedAt(UUID workspaceId) {
    return pool.preparedQuery("select data_erased_at from ingestion.workspaces where id = $1")
        .execute(Tuple.of(workspaceId))
        .map(
            rows -> {
              var it = rows.iterator();
              OffsetDateTime at = it.hasNext() ? it.next().getOffsetDateTime(0) : null;
              return at == null ? null : at.toInstant();
            });
  }
}
