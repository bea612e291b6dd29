package dev.tributary.ingestion.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Workspace suspensions ({@code ingestion.workspace_suspensions}) and the workspace columns the
 * Tracking API reads ({@code suspended_at}, {@code closed_at}). Every change of state is one
 * conditional statement (or one transaction of two), so two replicas doing the same work at once
 * change a suspension once: the partial unique index {@code workspace_suspensions_one_open} keeps
 * one open suspension per workspace, and activation and lifting only apply to the state they
 * expect.
 */
@ApplicationScoped
public class SuspensionRepository {

  /** A stored suspension. */
  public record StoredSuspension(
      UUID id,
      UUID workspaceId,
      String reason,
      String status,
      Instant requestedAt,
      UUID noticeId,
      Instant effectiveAt,
      Instant liftedAt,
      String liftReason,
      UUID liftNoticeId) {}

  /** What the rules of suspension need to know about a workspace. */
  public record WorkspaceState(
      UUID id,
      String kind,
      Instant closedAt,
      int emailContacts,
      Instant suspendedAt,
      Instant dataErasedAt,
      UUID closureNoticeId) {}

  /** A time the workspace's keys were refused because of a suspension: [start, end), end open. */
  public record SuspendedPeriod(
      UUID workspaceId, UUID suspensionId, Instant start, Instant end, String reason) {}

  private static final String COLUMNS =
      "id, workspace_id, reason, status, requested_at, notice_id, effective_at, lifted_at,"
          + " lift_reason, lift_notice_id";

  private final Pool pool;

  public SuspensionRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Optional<WorkspaceState>> workspace(UUID workspaceId) {
    return pool.preparedQuery(
            """
            select w.id, w.kind, w.closed_at,
                   (select count(*) from ingestion.workspace_contacts c
                    where c.workspace_id = w.id and c.email is not null)::int,
                   w.suspended_at, w.data_erased_at, w.closure_notice_id
            from ingestion.workspaces w where w.id = $1
            """)
        .execute(Tuple.of(workspaceId))
        .map(
            rows ->
                first(rows)
                    .map(
                        row ->
                            new WorkspaceState(
                                row.getUUID(0),
                                row.getString(1),
                                instant(row, 2),
                                row.getInteger(3),
                                instant(row, 4),
                                instant(row, 5),
                                row.getUUID(6))));
  }

  /**
   * Records a PENDING_NOTICE suspension unless the workspace already has an open one; answers
   * whether this call recorded it.
   */
  public Uni<Boolean> insertPending(UUID id, UUID workspaceId, String reason, Instant now) {
    return pool.preparedQuery(
            """
            insert into ingestion.workspace_suspensions (id, workspace_id, reason, status,
                requested_at)
            values ($1, $2, $3, 'PENDING_NOTICE', $4)
            on conflict (workspace_id) where status in ('PENDING_NOTICE', 'ACTIVE') do nothing
            """)
        .execute(Tuple.of(id, workspaceId, reason, utc(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The workspace's PENDING_NOTICE or ACTIVE suspension. */
  public Uni<Optional<StoredSuspension>> findOpen(UUID workspaceId) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from ingestion.workspace_suspensions where workspace_id = $1"
                + " and status in ('PENDING_NOTICE', 'ACTIVE')")
        .execute(Tuple.of(workspaceId))
        .map(rows -> first(rows).map(SuspensionRepository::suspension));
  }

  /** Every suspension of the workspace, newest first. */
  public Uni<List<StoredSuspension>> history(UUID workspaceId) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from ingestion.workspace_suspensions where workspace_id = $1"
                + " order by requested_at desc, id")
        .execute(Tuple.of(workspaceId))
        .map(SuspensionRepository::suspensions);
  }

  /** The oldest PENDING_NOTICE suspensions, at most {@code limit}. */
  public Uni<List<StoredSuspension>> pending(int limit) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from ingestion.workspace_suspensions where status = 'PENDING_NOTICE'"
                + " order by requested_at limit $1")
        .execute(Tuple.of(limit))
        .map(SuspensionRepository::suspensions);
  }

  /** Lifted suspensions whose customer was told of the suspension but not yet of its end. */
  public Uni<List<StoredSuspension>> liftsToNotify(int limit) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from ingestion.workspace_suspensions where status = 'LIFTED'"
                + " and lift_notice_id is null and notice_id is not null"
                + " order by requested_at limit $1")
        .execute(Tuple.of(limit))
        .map(SuspensionRepository::suspensions);
  }

  public Uni<Void> setNoticeId(UUID suspensionId, UUID noticeId) {
    return pool.preparedQuery(
            "update ingestion.workspace_suspensions set notice_id = $2"
                + " where id = $1 and notice_id is null")
        .execute(Tuple.of(suspensionId, noticeId))
        .replaceWithVoid();
  }

  public Uni<Void> setLiftNoticeId(UUID suspensionId, UUID noticeId) {
    return pool.preparedQuery(
            "update ingestion.workspace_suspensions set lift_notice_id = $2"
                + " where id = $1 and lift_notice_id is null")
        .execute(Tuple.of(suspensionId, noticeId))
        .replaceWithVoid();
  }

  /**
   * PENDING_NOTICE to ACTIVE from {@code now}, and the workspace's keys refused; answers whether
   * this call made the change (false: another replica did, or the suspension was lifted).
   */
  public Uni<Boolean> activate(UUID suspensionId, Instant now) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    """
                    update ingestion.workspace_suspensions set status = 'ACTIVE', effective_at = $2
                    where id = $1 and status = 'PENDING_NOTICE'
                    returning workspace_id
                    """)
                .execute(Tuple.of(suspensionId, utc(now)))
                .flatMap(
                    rows ->
                        first(rows)
                            .map(row -> setSuspendedAt(tx, row.getUUID(0), now).replaceWith(true))
                            .orElse(Uni.createFrom().item(false))));
  }

  /**
   * Ends the workspace's open suspension at {@code now} (whether it had taken effect or not) and
   * lets its keys in again; answers the lifted suspension, empty when there was none.
   */
  public Uni<Optional<StoredSuspension>> lift(UUID workspaceId, String reason, Instant now) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "update ingestion.workspace_suspensions set status = 'LIFTED',"
                        + " lifted_at = $2, lift_reason = $3"
                        + " where workspace_id = $1 and status in ('PENDING_NOTICE', 'ACTIVE')"
                        + " returning "
                        + COLUMNS)
                .execute(Tuple.of(workspaceId, utc(now), reason))
                .flatMap(
                    rows -> {
                      Optional<StoredSuspension> lifted =
                          first(rows).map(SuspensionRepository::suspension);
                      return lifted.isEmpty()
                          ? Uni.createFrom().item(lifted)
                          : setSuspendedAt(tx, workspaceId, null).replaceWith(lifted);
                    }));
  }

  /** The periods the workspaces' keys were refused because of a suspension, oldest first. */
  public Uni<List<SuspendedPeriod>> periods(List<UUID> workspaceIds) {
    if (workspaceIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return pool.preparedQuery(
            """
            select workspace_id, id, effective_at, lifted_at, reason
            from ingestion.workspace_suspensions
            where workspace_id = any($1) and effective_at is not null
            order by effective_at
            """)
        .execute(Tuple.of(workspaceIds.toArray(UUID[]::new)))
        .map(
            rows -> {
              List<SuspendedPeriod> periods = new ArrayList<>();
              for (Row row : rows) {
                periods.add(
                    new SuspendedPeriod(
                        row.getUUID(0),
                        row.getUUID(1),
                        instant(row, 2),
                        instant(row, 3),
                        row.getString(4)));
              }
              return periods;
            });
  }

  /** Open suspensions by status, for the gauges. */
  public Uni<long[]> countOpen() {
    return pool.query(
            """
            select count(*) filter (where status = 'ACTIVE'),
                   count(*) filter (where status = 'PENDING_NOTICE')
            from ingestion.workspace_suspensions where status in ('PENDING_NOTICE', 'ACTIVE')
            """)
        .execute()
        .map(rows -> first(rows).map(r -> new long[] {r.getLong(0), r.getLong(1)}).orElseThrow());
  }

  private static Uni<Void> setSuspendedAt(SqlClient tx, UUID workspaceId, Instant at) {
    return tx.preparedQuery("update ingestion.workspaces set suspended_at = $2 where id = $1")
        .execute(Tuple.of(workspaceId, at == null ? null : utc(at)))
        .replaceWithVoid();
  }

  private static List<StoredSuspension> suspensions(RowSet<Row> rows) {
    List<StoredSuspension> list = new ArrayList<>();
    for (Row row : rows) {
      list.add(suspension(row));
    }
    return list;
  }

  private static StoredSuspension suspension(Row row) {
    return new StoredSuspension(
        row.getUUID("id"),
        row.getUUID("workspace_id"),
        row.getString("reason"),
        row.getString("status"),
        instant(row, "requested_at"),
        row.getUUID("notice_id"),
        instant(row, "effective_at"),
        instant(row, "lifted_at"),
        row.getString("lift_reason"),
        row.getUUID("lift_notice_id"));
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  private static Instant instant(Row row, int column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
