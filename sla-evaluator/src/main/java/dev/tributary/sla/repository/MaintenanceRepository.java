package dev.tributary.sla.repository;

import static dev.tributary.sla.repository.EvidenceRepository.utc;

import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Scheduled maintenance windows and, per workspace, when their notice first reached it. */
@ApplicationScoped
public class MaintenanceRepository {

  /** A stored window. {@code noticeSentAt} is set only for a notice sent outside the platform. */
  public record StoredWindow(
      UUID id,
      Instant start,
      Instant end,
      String description,
      UUID noticeId,
      Instant noticeSentAt,
      String status,
      UUID replaces,
      Instant createdAt,
      String createdBy,
      String statusReason) {}

  /** A window as one workspace sees it: the notice time is that workspace's. */
  public record WorkspaceWindow(StoredWindow window, Instant noticeSentAt) {}

  /** Scheduled windows and, per window id, when its notice first reached each workspace. */
  public record WindowsForAll(List<StoredWindow> windows, Map<UUID, Map<UUID, Instant>> reached) {

    /** The windows as {@code workspaceId} sees them (as {@link #forWorkspace} answers them). */
    public List<WorkspaceWindow> of(UUID workspaceId) {
      List<WorkspaceWindow> seen = new ArrayList<>(windows.size());
      for (StoredWindow w : windows) {
        Instant notice =
            w.noticeSentAt() != null
                ? w.noticeSentAt()
                : reached.getOrDefault(w.id(), Map.of()).get(workspaceId);
        seen.add(new WorkspaceWindow(w, notice));
      }
      return seen;
    }
  }

  /** When a window's notice first reached one workspace (null: not yet). */
  public record NoticeTime(UUID workspaceId, Instant firstDeliveredAt) {}

  private static final String COLUMNS =
      "w.id, w.start_at, w.end_at, w.description, w.notice_id, w.notice_sent_at, w.status,"
          + " w.replaces, w.created_at, w.created_by, w.status_reason";

  private static final String INSERT =
      """
      insert into sla.maintenance_windows (id, start_at, end_at, description, notice_id,
          notice_sent_at, status, replaces, created_at, created_by)
      values ($1, $2, $3, $4, $5, $6, 'SCHEDULED', $7, $8, $9)
      """;

  private static final String FOR_WORKSPACE =
      "select "
          + COLUMNS
          + ", coalesce(w.notice_sent_at, n.first_delivered_at) as workspace_notice"
          + " from sla.maintenance_windows w left join sla.maintenance_notices n"
          + " on n.window_id = w.id and n.workspace_id = $3"
          + " where w.status = 'SCHEDULED' and w.start_at < $2 and w.end_at > $1"
          + " order by w.start_at";

  private final Pool pool;

  public MaintenanceRepository(Pool pool) {
    this.pool = pool;
  }

  /** Stores a new scheduled window; 409 when it overlaps another scheduled window. */
  public Uni<Void> insert(StoredWindow w) {
    return insert(pool, w);
  }

  /** Marks {@code old} rescheduled and stores its replacement, in one transaction. */
  public Uni<Void> reschedule(UUID old, String reason, StoredWindow replacement) {
    return pool.withTransaction(
        tx ->
            setStatus(tx, old, "RESCHEDULED", reason).flatMap(ignored -> insert(tx, replacement)));
  }

  public Uni<Void> cancel(UUID id, String reason) {
    return setStatus(pool, id, "CANCELLED", reason);
  }

  public Uni<Optional<StoredWindow>> find(UUID id) {
    return pool.preparedQuery("select " + COLUMNS + " from sla.maintenance_windows w where id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(window(first(rows))));
  }

  /** Windows (any status) overlapping {@code [from, to)}, by start. */
  public Uni<List<StoredWindow>> list(Instant from, Instant to) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from sla.maintenance_windows w where w.start_at < $2 and w.end_at > $1"
                + " order by w.start_at limit 1000")
        .execute(Tuple.of(utc(from), utc(to)))
        .map(
            rows -> {
              List<StoredWindow> windows = new ArrayList<>();
              rows.forEach(row -> windows.add(window(row)));
              return windows;
            });
  }

  /** Scheduled windows overlapping {@code [from, to)} with the notice time of one workspace. */
  public Uni<List<WorkspaceWindow>> forWorkspace(UUID workspaceId, Instant from, Instant to) {
    return pool.preparedQuery(FOR_WORKSPACE)
        .execute(Tuple.of(utc(from), utc(to), workspaceId))
        .map(
            rows -> {
              List<WorkspaceWindow> windows = new ArrayList<>();
              for (Row row : rows) {
                windows.add(new WorkspaceWindow(window(row), instant(row, "workspace_notice")));
              }
              return windows;
            });
  }

  /**
   * Scheduled windows overlapping {@code [from, to)} as every workspace sees them: the windows, and
   * per window the workspaces its notice reached and when (a window whose notice was sent outside
   * the platform holds {@code noticeSentAt} for everyone instead).
   */
  public Uni<WindowsForAll> forAllWorkspaces(Instant from, Instant to) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from sla.maintenance_windows w where w.status = 'SCHEDULED'"
                + " and w.start_at < $2 and w.end_at > $1 order by w.start_at")
        .execute(Tuple.of(utc(from), utc(to)))
        .flatMap(
            rows -> {
              List<StoredWindow> windows = new ArrayList<>();
              rows.forEach(row -> windows.add(window(row)));
              UUID[] ids = windows.stream().map(StoredWindow::id).toArray(UUID[]::new);
              if (ids.length == 0) {
                return Uni.createFrom().item(new WindowsForAll(windows, Map.of()));
              }
              return pool.preparedQuery(
                      "select window_id, workspace_id, first_delivered_at"
                          + " from sla.maintenance_notices"
                          + " where window_id = any($1) and first_delivered_at is not null")
                  .execute(Tuple.of(ids))
                  .map(
                      notices -> {
                        Map<UUID, Map<UUID, Instant>> reached = new HashMap<>();
                        for (Row row : notices) {
                          reached
                              .computeIfAbsent(row.getUUID("window_id"), id -> new HashMap<>())
                              .put(row.getUUID("workspace_id"), instant(row, "first_delivered_at"));
                        }
                        return new WindowsForAll(windows, reached);
                      });
            });
  }

  /**
   * Scheduled windows whose notice went through notice-service, that ended after {@code since}, and
   * for which some workspace's delivery time is not known yet (or was never read).
   */
  public Uni<List<StoredWindow>> awaitingNoticeTimes(Instant since) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from sla.maintenance_windows w where w.notice_id is not null"
                + " and w.status = 'SCHEDULED' and w.end_at > $1"
                + " and (not exists (select 1 from sla.maintenance_notices n where n.window_id = w.id)"
                + "   or exists (select 1 from sla.maintenance_notices n"
                + "              where n.window_id = w.id and n.first_delivered_at is null))")
        .execute(Tuple.of(utc(since)))
        .map(
            rows -> {
              List<StoredWindow> windows = new ArrayList<>();
              rows.forEach(row -> windows.add(window(row)));
              return windows;
            });
  }

  public Uni<Void> putNoticeTimes(UUID windowId, List<NoticeTime> times, Instant syncedAt) {
    if (times.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> batch = new ArrayList<>();
    for (NoticeTime t : times) {
      batch.add(Tuple.of(windowId, t.workspaceId(), utc(t.firstDeliveredAt()), utc(syncedAt)));
    }
    return pool.preparedQuery(
            """
            insert into sla.maintenance_notices (window_id, workspace_id, first_delivered_at, synced_at)
            values ($1, $2, $3, $4)
            on conflict (window_id, workspace_id) do update set
                first_delivered_at = coalesce(sla.maintenance_notices.first_delivered_at,
                                              excluded.first_delivered_at),
                synced_at = excluded.synced_at
            """)
        .executeBatch(batch)
        .replaceWithVoid();
  }

  public Uni<List<NoticeTime>> noticeTimes(UUID windowId) {
    return pool.preparedQuery(
            "select workspace_id, first_delivered_at from sla.maintenance_notices"
                + " where window_id = $1 order by workspace_id")
        .execute(Tuple.of(windowId))
        .map(
            rows -> {
              List<NoticeTime> times = new ArrayList<>();
              for (Row row : rows) {
                times.add(
                    new NoticeTime(
                        row.getUUID("workspace_id"), instant(row, "first_delivered_at")));
              }
              return times;
            });
  }

  private static Uni<Void> insert(SqlClient client, StoredWindow w) {
    return client
        .preparedQuery(INSERT)
        .execute(
            Tuple.from(
                new Object[] {
                  w.id(),
                  utc(w.start()),
                  utc(w.end()),
                  w.description(),
                  w.noticeId(),
                  utc(w.noticeSentAt()),
                  w.replaces(),
                  utc(w.createdAt()),
                  w.createdBy()
                }))
        .onFailure(MaintenanceRepository::isOverlap)
        .transform(
            e ->
                new ApiException(
                    409,
                    "maintenance_window_overlap",
                    "the window overlaps another scheduled maintenance window; cancel or"
                        + " reschedule that one first"))
        .replaceWithVoid();
  }

  private static Uni<Void> setStatus(SqlClient client, UUID id, String status, String reason) {
    return client
        .preparedQuery(
            "update sla.maintenance_windows set status = $2, status_reason = $3"
                + " where id = $1 and status = 'SCHEDULED'")
        .execute(Tuple.of(id, status, reason))
        .map(RowSet::rowCount)
        .invoke(
            count -> {
              if (count == 0) {
                throw new ApiException(
                    409,
                    "maintenance_window_not_scheduled",
                    "the window was already cancelled or rescheduled");
              }
            })
        .replaceWithVoid();
  }

  private static boolean isOverlap(Throwable failure) {
    return failure instanceof PgException pg && "23P01".equals(pg.getSqlState());
  }

  private static Row first(RowSet<Row> rows) {
    return rows.iterator().next();
  }

  static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  private static StoredWindow window(Row row) {
    return new StoredWindow(
        row.getUUID("id"),
        instant(row, "start_at"),
        instant(row, "end_at"),
        row.getString("description"),
        row.getUUID("notice_id"),
        instant(row, "notice_sent_at"),
        row.getString("status"),
        row.getUUID("replaces"),
        instant(row, "created_at"),
        row.getString("created_by"),
        row.getString("status_reason"));
  }
}
