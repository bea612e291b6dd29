package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.service.RequestOutcome;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Per-workspace, per-minute request counters in {@code ingestion.request_stats}. */
@ApplicationScoped
public class RequestStatsRepository {

  /** Counters of one workspace-minute; mutable while being collected, then added to the row. */
  public static final class MinuteCounts {
    private final UUID workspaceId;
    private final Instant minute;
    long requests;
    long eventsAccepted;
    long eventsRejected;
    long eventsSuppressed;
    long rejected4xx;
    long throttled429;
    long failed5xx;
    double latencySumMs;
    double latencyMaxMs;
    long le10;
    long le50;
    long le250;
    long le1000;

    public MinuteCounts(UUID workspaceId, Instant minute) {
      this.workspaceId = workspaceId;
      this.minute = minute;
    }

    public UUID workspaceId() {
      return workspaceId;
    }

    public Instant minute() {
      return minute;
    }

    public void add(RequestOutcome outcome, int accepted, int rejected, double latencyMs) {
      add(outcome, accepted, rejected, 0, latencyMs);
    }

    /** {@code suppressed}: events acknowledged but not stored, their subject being suppressed. */
    public void add(
        RequestOutcome outcome, int accepted, int rejected, int suppressed, double latencyMs) {
      requests++;
      eventsSuppressed += suppressed;
      eventsAccepted += accepted;
      eventsRejected += rejected;
      switch (outcome) {
        case REJECTED -> rejected4xx++;
        case THROTTLED -> throttled429++;
        case FAILED -> failed5xx++;
        case ACCEPTED -> {}
      }
      latencySumMs += latencyMs;
      latencyMaxMs = Math.max(latencyMaxMs, latencyMs);
      if (latencyMs <= 10) le10++;
      if (latencyMs <= 50) le50++;
      if (latencyMs <= 250) le250++;
      if (latencyMs <= 1000) le1000++;
    }

    public MinuteCounts plus(MinuteCounts other) {
      requests += other.requests;
      eventsAccepted += other.eventsAccepted;
      eventsRejected += other.eventsRejected;
      eventsSuppressed += other.eventsSuppressed;
      rejected4xx += other.rejected4xx;
      throttled429 += other.throttled429;
      failed5xx += other.failed5xx;
      latencySumMs += other.latencySumMs;
      latencyMaxMs = Math.max(latencyMaxMs, other.latencyMaxMs);
      le10 += other.le10;
      le50 += other.le50;
      le250 += other.le250;
      le1000 += other.le1000;
      return this;
    }
  }

  /** One stored row, as the internal API returns it. */
  public record MinuteStats(
      UUID workspaceId,
      Instant minute,
      long requests,
      long eventsAccepted,
      long eventsRejected,
      long rejected4xx,
      long throttled429,
      long failed5xx,
      double latencyAvgMs,
      double latencyMaxMs,
      long latencyLe10Ms,
      long latencyLe50Ms,
      long latencyLe250Ms,
      long latencyLe1000Ms,
      long eventsSuppressed) {}

  /** A row's place in (minute, workspace_id) order: a page of {@link #range} starts after it. */
  public record StatsCursor(Instant minute, UUID workspaceId) {}

  private static final String ADD =
      """
      insert into ingestion.request_stats as s (workspace_id, minute, requests, events_accepted, events_rejected,
          rejected_4xx, throttled_429, failed_5xx, latency_sum_ms, latency_max_ms,
          latency_le_10, latency_le_50, latency_le_250, latency_le_1000, events_suppressed)
      select * from unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
          $7::bigint[], $8::bigint[], $9::float8[], $10::float8[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[],
          $15::bigint[])
      order by 1, 2
      on conflict (workspace_id, minute) do update set
          requests = s.requests + excluded.requests,
          events_accepted = s.events_accepted + excluded.events_accepted,
          events_rejected = s.events_rejected + excluded.events_rejected,
          rejected_4xx = s.rejected_4xx + excluded.rejected_4xx,
          throttled_429 = s.throttled_429 + excluded.throttled_429,
          failed_5xx = s.failed_5xx + excluded.failed_5xx,
          latency_sum_ms = s.latency_sum_ms + excluded.latency_sum_ms,
          latency_max_ms = greatest(s.latency_max_ms, excluded.latency_max_ms),
          latency_le_10 = s.latency_le_10 + excluded.latency_le_10,
          latency_le_50 = s.latency_le_50 + excluded.latency_le_50,
          latency_le_250 = s.latency_le_250 + excluded.latency_le_250,
          latency_le_1000 = s.latency_le_1000 + excluded.latency_le_1000,
          events_suppressed = s.events_suppressed + excluded.events_suppressed
      """;

  // Keyset pages: "minute >= the cursor's minute" bounds the index scan, the row comparison then
  // skips that minute's rows up to the cursor's workspace.

  /** Every workspace: served by the index request_stats_minute_workspace. */
  private static final String RANGE =
      """
      select workspace_id, minute, requests, events_accepted, events_rejected, rejected_4xx, throttled_429,
             failed_5xx, latency_sum_ms, latency_max_ms, latency_le_10, latency_le_50, latency_le_250, latency_le_1000,
             events_suppressed
      from ingestion.request_stats
      where minute >= $1 and minute < $2 and minute >= $3 and (minute, workspace_id) > ($3, $4)
      order by minute, workspace_id
      limit $5
      """;

  /** One workspace: served by the primary key (workspace_id, minute). */
  private static final String RANGE_OF_WORKSPACE =
      """
      select workspace_id, minute, requests, events_accepted, events_rejected, rejected_4xx, throttled_429,
             failed_5xx, latency_sum_ms, latency_max_ms, latency_le_10, latency_le_50, latency_le_250, latency_le_1000,
             events_suppressed
      from ingestion.request_stats
      where workspace_id = $5 and minute >= $1 and minute < $2
        and minute >= $3 and (minute, workspace_id) > ($3, $4)
      order by minute, workspace_id
      limit $6
      """;

  private final Pool pool;

  public RequestStatsRepository(Pool pool) {
    this.pool = pool;
  }

  /** Adds the counts to their rows (one statement, one transaction). */
  public Uni<Void> addAll(List<MinuteCounts> batch) {
    int n = batch.size();
    UUID[] workspaces = new UUID[n];
    OffsetDateTime[] minutes = new OffsetDateTime[n];
    Long[][] longs = new Long[11][n];
    Double[] sums = new Double[n];
    Double[] maxes = new Double[n];
    for (int i = 0; i < n; i++) {
      MinuteCounts c = batch.get(i);
      workspaces[i] = c.workspaceId;
      minutes[i] = c.minute.atOffset(ZoneOffset.UTC);
      longs[0][i] = c.requests;
      longs[1][i] = c.eventsAccepted;
      longs[2][i] = c.eventsRejected;
      longs[3][i] = c.rejected4xx;
      longs[4][i] = c.throttled429;
      longs[5][i] = c.failed5xx;
      longs[6][i] = c.le10;
      longs[7][i] = c.le50;
      longs[8][i] = c.le250;
      longs[9][i] = c.le1000;
      longs[10][i] = c.eventsSuppressed;
      sums[i] = c.latencySumMs;
      maxes[i] = c.latencyMaxMs;
    }
    Tuple tuple =
        Tuple.tuple()
            .addArrayOfUUID(workspaces)
            .addArrayOfOffsetDateTime(minutes)
            .addArrayOfLong(longs[0])
            .addArrayOfLong(longs[1])
            .addArrayOfLong(longs[2])
            .addArrayOfLong(longs[3])
            .addArrayOfLong(longs[4])
            .addArrayOfLong(longs[5])
            .addArrayOfDouble(sums)
            .addArrayOfDouble(maxes)
            .addArrayOfLong(longs[6])
            .addArrayOfLong(longs[7])
            .addArrayOfLong(longs[8])
            .addArrayOfLong(longs[9])
            .addArrayOfLong(longs[10]);
    return pool.preparedQuery(ADD).execute(tuple).replaceWithVoid();
  }

  /** The first page of {@link #range(Instant, Instant, UUID, StatsCursor, int)}. */
  public Uni<List<MinuteStats>> range(Instant from, Instant to, UUID workspaceId, int limit) {
    return range(from, to, workspaceId, null, limit);
  }

  /**
   * At most {@code limit} rows with {@code from <= minute < to}, of one workspace or (null) of all,
   * in (minute, workspace_id) order, strictly after {@code after} (null: from the first).
   */
  public Uni<List<MinuteStats>> range(
      Instant from, Instant to, UUID workspaceId, StatsCursor after, int limit) {
    StatsCursor cursor = after != null ? after : beforeFirst(from);
    List<Object> parameters =
        new ArrayList<>(
            List.of(
                from.atOffset(ZoneOffset.UTC),
                to.atOffset(ZoneOffset.UTC),
                cursor.minute().atOffset(ZoneOffset.UTC),
                cursor.workspaceId()));
    if (workspaceId != null) {
      parameters.add(workspaceId);
    }
    parameters.add(limit);
    return pool.preparedQuery(workspaceId == null ? RANGE : RANGE_OF_WORKSPACE)
        .execute(Tuple.from(parameters))
        .map(
            rows -> {
              List<MinuteStats> result = new ArrayList<>();
              for (Row row : rows) {
                long requests = row.getLong("requests");
                result.add(
                    new MinuteStats(
                        row.getUUID("workspace_id"),
                        row.getOffsetDateTime("minute").toInstant(),
                        requests,
                        row.getLong("events_accepted"),
                        row.getLong("events_rejected"),
                        row.getLong("rejected_4xx"),
                        row.getLong("throttled_429"),
                        row.getLong("failed_5xx"),
                        requests == 0 ? 0 : row.getDouble("latency_sum_ms") / requests,
                        row.getDouble("latency_max_ms"),
                        row.getLong("latency_le_10"),
                        row.getLong("latency_le_50"),
                        row.getLong("latency_le_250"),
                        row.getLong("latency_le_1000"),
                        row.getLong("events_suppressed")));
              }
              return result;
            });
  }

  /** Before every row of a range that starts at {@code from}: the first page's cursor. */
  private static StatsCursor beforeFirst(Instant from) {
    return new StatsCursor(from.minusNanos(1000), new UUID(0, 0));
  }
}
