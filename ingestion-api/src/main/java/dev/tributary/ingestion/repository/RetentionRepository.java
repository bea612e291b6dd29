package dev.tributary.ingestion.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The partitions of {@code ingestion.events} and the deletes of retention: every statement here is
 * short (one partition's DDL under a lock timeout, or one bounded batch of deletes in its own
 * transaction), so none holds a lock the inserts wait for longer than that.
 */
@ApplicationScoped
public class RetentionRepository {

  /**
   * A partition of {@code ingestion.events} with its bounds; {@code from} null: unbounded below
   * (the table from before partitioning); both null: the default partition.
   */
  public record Partition(String name, Instant from, Instant to) {
    public boolean isDefault() {
      return from == null && to == null;
    }
  }

  /** Names this class creates or was migrated with; only these are ever dropped. */
  private static final Pattern OWN_PARTITION =
      Pattern.compile("events_p[0-9]{8}|events_before_partitioning");

  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /** The bounds as PostgreSQL prints them (with their offset, so the cast is exact in any zone). */
  private static final String PARTITIONS =
      """
      select c.relname,
             (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']*)''\\)'))[1]::timestamptz,
             (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']*)''\\)'))[1]::timestamptz
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'ingestion.events'::regclass
      order by 3 nulls first, 1
      """;

  /** Serialises the partition DDL of all replicas (any constant; "tributary-partitions"). */
  private static final long DDL_LOCK = 0x7472696275746172L;

  /**
   * One batch of a partition's events past their workspace's retention: for each source of a
   * workspace whose cutoff reaches into the partition, its oldest rows through the index
   * (source_id, received_at), then deleted by ctid. {@code %1$s} is the partition.
   */
  private static final String DELETE_EXPIRED_EVENTS =
      """
      with retention as (
          select s.id as source_id,
                 $1::timestamptz - make_interval(days => least(coalesce(w.retention_days, $2), $3)) as cutoff
          from ingestion.sources s join ingestion.workspaces w on w.id = s.workspace_id
      )
      delete from ingestion.%1$s
      where ctid = any (array(
          select x.ctid from retention r
          cross join lateral (
              select e.ctid from ingestion.%1$s e
              where e.source_id = r.source_id and e.received_at < r.cutoff
              limit $4) x
          where r.cutoff > $5
          limit $4))
      """;

  private static final String DELETE_DEDUP =
      """
      delete from ingestion.event_dedup
      where ctid = any (array(select ctid from ingestion.event_dedup where received_at < $1 limit $2))
      """;

  private static final String DELETE_REQUEST_STATS =
      """
      delete from ingestion.request_stats
      where ctid = any (array(select ctid from ingestion.request_stats where minute < $1 limit $2))
      """;

  /** The longest retention of any workspace, in days: how long a partition must be kept. */
  private static final String LONGEST_RETENTION =
      """
      select least(greatest($1, coalesce(max(retention_days), 0)), $2) from ingestion.workspaces
      """;

  private final Pool pool;

  public RetentionRepository(Pool pool) {
    this.pool = pool;
  }

  /** Every partition of the events table, oldest first, the default partition first of all. */
  public Uni<List<Partition>> partitions() {
    return pool.query(PARTITIONS)
        .execute()
        .map(
            rows -> {
              List<Partition> partitions = new ArrayList<>();
              for (Row row : rows) {
                partitions.add(
                    new Partition(
                        row.getString(0),
                        instant(row.getOffsetDateTime(1)),
                        instant(row.getOffsetDateTime(2))));
              }
              return partitions;
            });
  }

  /**
   * Creates the partition of {@code day} ([00:00, 24:00) UTC), named {@code events_pYYYYMMDD},
   * unless it exists; answers whether it created it. Fails when the lock is not granted within
   * {@code lockTimeout} (the inserts are never queued behind it for longer).
   */
  public Uni<Boolean> createDayPartition(LocalDate day, Duration lockTimeout) {
    String name = "events_p" + day.format(DAY);
    String ddl =
        "create table ingestion.%s partition of ingestion.events for values from ('%s') to ('%s')"
            .formatted(name, day + " 00:00:00+00", day.plusDays(1) + " 00:00:00+00");
    return ddl(
        lockTimeout,
        connection ->
            connection
                .preparedQuery("select to_regclass($1) is null")
                .execute(Tuple.of("ingestion." + name))
                .flatMap(
                    absent ->
                        absent.iterator().next().getBoolean(0)
                            ? connection.query(ddl).execute().replaceWith(true)
                            : Uni.createFrom().item(false)));
  }

  /** Drops a partition (never the default one); same lock timeout. */
  public Uni<Void> dropPartition(Partition partition, Duration lockTimeout) {
    if (partition.isDefault() || !OWN_PARTITION.matcher(partition.name()).matches()) {
      throw new IllegalArgumentException("not a partition this service drops: " + partition.name());
    }
    return ddl(
        lockTimeout,
        connection ->
            connection
                .query("drop table if exists ingestion." + partition.name())
                .execute()
                .replaceWithVoid());
  }

  /**
   * Deletes at most {@code batch} of the partition's events whose workspace's retention ended
   * before {@code now} (a workspace's retention: its own days, else {@code defaultDays}, at most
   * {@code maxDays}); answers how many it deleted.
   */
  public Uni<Integer> deleteExpiredEvents(
      Partition partition, Instant now, int defaultDays, int maxDays, int batch) {
    if (!OWN_PARTITION.matcher(partition.name()).matches()) {
      throw new IllegalArgumentException("not an events partition: " + partition.name());
    }
    Instant from =
        partition.from() == null
            ? Instant.EPOCH.minus(Duration.ofDays(365L * 100))
            : partition.from();
    return pool.preparedQuery(DELETE_EXPIRED_EVENTS.formatted(partition.name()))
        .execute(Tuple.of(utc(now), defaultDays, maxDays, batch, utc(from)))
        .map(rows -> rows.rowCount());
  }

  /** Deletes at most {@code batch} deduplication entries received before {@code before}. */
  public Uni<Integer> deleteDedupEntries(Instant before, int batch) {
    return pool.preparedQuery(DELETE_DEDUP)
        .execute(Tuple.of(utc(before), batch))
        .map(rows -> rows.rowCount());
  }

  /** Deletes at most {@code batch} request statistics of minutes before {@code before}. */
  public Uni<Integer> deleteRequestStats(Instant before, int batch) {
    return pool.preparedQuery(DELETE_REQUEST_STATS)
        .execute(Tuple.of(utc(before), batch))
        .map(rows -> rows.rowCount());
  }

  /** The longest retention in days of any workspace (their own, else the default; capped). */
  public Uni<Integer> longestRetentionDays(int defaultDays, int maxDays) {
    return pool.preparedQuery(LONGEST_RETENTION)
        .execute(Tuple.of(defaultDays, maxDays))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  /** Rows in the default partition, counted up to {@code limit}: normally none. */
  public Uni<Long> defaultPartitionRows(int limit) {
    return pool.preparedQuery(
            "select count(*) from (select 1 from ingestion.events_default limit $1) r")
        .execute(Tuple.of(limit))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** One transaction that holds the replicas' DDL lock and waits at most {@code lockTimeout}. */
  private <T> Uni<T> ddl(Duration lockTimeout, Function<SqlConnection, Uni<T>> work) {
    String timeout = "set local lock_timeout = '" + Math.max(1, lockTimeout.toMillis()) + "ms'";
    return pool.withTransaction(
        connection ->
            connection
                .query(timeout)
                .execute()
                .flatMap(
                    ignored ->
                        connection
                            .preparedQuery("select pg_advisory_xact_lock($1)")
                            .execute(Tuple.of(DDL_LOCK)))
                .flatMap(ignored -> work.apply(connection)));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
