package dev.tributary.ingestion.repository;

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

/** The heartbeats of the running replicas, in {@code ingestion.replicas}. */
@ApplicationScoped
public class ReplicaRepository {

  /** One replica's row. */
  public record Replica(String id, Instant heartbeatAt, Instant startedAt) {}

  /**
   * One round trip: this replica's heartbeat, the other replicas' stale rows deleted, the other
   * live replicas counted. The statements of one query see the same snapshot, so the count never
   * sees this replica's own upsert (the caller adds it) nor the rows it deletes.
   */
  private static final String BEAT =
      """
      with beat as (
          insert into ingestion.replicas (id, heartbeat_at, started_at) values ($1, $2, $3)
          on conflict (id) do update set heartbeat_at = excluded.heartbeat_at
      ), stale as (
          delete from ingestion.replicas where heartbeat_at < $4 and id <> $1
      )
      select count(*) from ingestion.replicas where heartbeat_at >= $4 and id <> $1
      """;

  private final Pool pool;

  public ReplicaRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records the heartbeat of replica {@code id} at {@code now}, deletes the other replicas' rows
   * whose heartbeat is older than {@code liveSince}, and answers how many other replicas are live
   * (heartbeat at or after {@code liveSince}).
   */
  public Uni<Integer> beat(String id, Instant now, Instant startedAt, Instant liveSince) {
    return pool.preparedQuery(BEAT)
        .execute(Tuple.of(id, utc(now), utc(startedAt), utc(liveSince)))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** Deletes replica {@code id}'s row (it is stopping). */
  public Uni<Void> remove(String id) {
    return pool.preparedQuery("delete from ingestion.replicas where id = $1")
        .execute(Tuple.of(id))
        .replaceWithVoid();
  }

  /** Every row, oldest start first (operations and tests). */
  public Uni<List<Replica>> all() {
    return pool.query(
            "select id, heartbeat_at, started_at from ingestion.replicas order by started_at, id")
        .execute()
        .map(
            rows -> {
              List<Replica> replicas = new ArrayList<>();
              for (Row row : rows) {
                replicas.add(
                    new Replica(
                        row.getString(0),
                        row.getOffsetDateTime(1).toInstant(),
                        row.getOffsetDateTime(2).toInstant()));
              }
              return replicas;
            });
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
