package dev.tributary.ingestion.repository;

import static dev.tributary.ingestion.repository.SuspensionRepository.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Regulations (end-user deletion and suppression), the suppressed subjects' keyed hashes, and the
 * deletion of a subject's events in bounded batches: each batch is one short statement, so it never
 * holds long locks or stalls ingestion, and it counts what it deleted in the same statement.
 */
@ApplicationScoped
public class RegulationRepository {

  /** One regulation as stored; {@code subjectIds} is null once the work no longer needs them. */
  public record Regulation(
      UUID id,
      UUID workspaceId,
      String regulationType,
      String subjectType,
      int subjectCount,
      String status,
      String requestedBy,
      Instant requestedAt,
      Instant deadlineAt,
      Instant startedAt,
      Instant finishedAt,
      long eventsDeleted,
      int attempts,
      String lastError,
      boolean subjectIdsKept) {}

  /** What a new regulation records. {@code subjectIds} null: they are never kept in the clear. */
  public record NewRegulation(
      UUID id,
      UUID workspaceId,
      String regulationType,
      String subjectType,
      int subjectCount,
      String[] subjectIds,
      String status,
      String requestedBy,
      Instant requestedAt,
      Instant deadlineAt,
      Instant finishedAt) {}

  /** How a new regulation changes the suppressed subjects. */
  public enum SuppressionChange {
    NONE,
    SUPPRESS,
    UNSUPPRESS
  }

  /** A deletion this replica claimed: its events are to be deleted. */
  public record Claimed(UUID id, UUID workspaceId, String subjectType, String[] subjectIds) {}

  private static final String COLUMNS =
      "id, workspace_id, regulation_type, subject_type, subject_count, status, requested_by,"
          + " requested_at, deadline_at, started_at, finished_at, events_deleted, attempts,"
          + " last_error, subject_ids is not null";

  /** Serialises the subject index builds of all replicas ("tributary-subjects"). */
  private static final long INDEX_LOCK = 0x7375626a65637473L;

  /** The partition and index names spliced into SQL (the ones this service gives). */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Pool pool;

  public RegulationRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records the regulation and applies its suppression change in one transaction; answers false
   * (and records nothing) when the workspace does not exist. {@code hashes} are hex.
   */
  public Uni<Boolean> create(NewRegulation r, SuppressionChange change, String[] hashes) {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery("select 1 from ingestion.workspaces where id = $1")
                .execute(Tuple.of(r.workspaceId()))
                .flatMap(
                    rows ->
                        rows.size() == 0
                            ? Uni.createFrom().item(false)
                            : insert(tx, r)
                                .flatMap(ignored -> apply(tx, r, change, hashes))
                                .replaceWith(true)));
  }

  private static Uni<Void> insert(SqlClient tx, NewRegulation r) {
    return tx.preparedQuery(
            """
            insert into ingestion.regulations (id, workspace_id, regulation_type, subject_type,
                subject_count, subject_ids, status, requested_by, requested_at, deadline_at,
                finished_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """)
        .execute(
            Tuple.tuple()
                .addUUID(r.id())
                .addUUID(r.workspaceId())
                .addString(r.regulationType())
                .addString(r.subjectType())
                .addInteger(r.subjectCount())
                .addArrayOfString(r.subjectIds())
                .addString(r.status())
                .addString(r.requestedBy())
                .addOffsetDateTime(utc(r.requestedAt()))
                .addOffsetDateTime(utc(r.deadlineAt()))
                .addOffsetDateTime(r.finishedAt() == null ? null : utc(r.finishedAt())))
        .replaceWithVoid();
  }

  private static Uni<Void> apply(
      SqlClient tx, NewRegulation r, SuppressionChange change, String[] hashes) {
    Uni<?> changed =
        switch (change) {
          case NONE -> null;
          case SUPPRESS ->
              tx.preparedQuery(
                      """
                      insert into ingestion.suppressed_subjects
                          (workspace_id, subject_hash, regulation_id, suppressed_at)
                      select $1, decode(h, 'hex'), $3, $4 from unnest($2::text[]) as h
                      on conflict (workspace_id, subject_hash) do nothing
                      """)
                  .execute(
                      Tuple.tuple()
                          .addUUID(r.workspaceId())
                          .addArrayOfString(hashes)
                          .addUUID(r.id())
                          .addOffsetDateTime(utc(r.requestedAt())));
          case UNSUPPRESS ->
              tx.preparedQuery(
                      """
                      delete from ingestion.suppressed_subjects
                      where workspace_id = $1 and subject_hash = any(
                          array(select decode(h, 'hex') from unnest($2::text[]) as h))
                      """)
                  .execute(Tuple.tuple().addUUID(r.workspaceId()).addArrayOfString(hashes));
        };
    if (changed == null) {
      return Uni.createFrom().voidItem();
    }
    return changed
        .flatMap(
            ignored ->
                tx.query("update ingestion.suppression_version set version = version + 1")
                    .execute())
        .replaceWithVoid();
  }

  public Uni<Optional<Regulation>> find(UUID workspaceId, UUID id) {
    return pool.preparedQuery(
            "select " + COLUMNS + " from ingestion.regulations where workspace_id = $1 and id = $2")
        .execute(Tuple.of(workspaceId, id))
        .map(
            rows -> {
              var it = rows.iterator();
              return it.hasNext() ? Optional.of(regulation(it.next())) : Optional.empty();
            });
  }

  /** The workspace's regulations, newest first, after the cursor regulation (if any). */
  public Uni<List<Regulation>> list(UUID workspaceId, int limit, UUID after) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + """
                 from ingestion.regulations
                where workspace_id = $1
                  and ($3::uuid is null or (requested_at, id) < (
                      select requested_at, id from ingestion.regulations where id = $3))
                order by requested_at desc, id desc
                limit $2
                """)
        .execute(Tuple.of(workspaceId, limit, after))
        .map(
            rows -> {
              List<Regulation> list = new ArrayList<>();
              for (Row row : rows) {
                list.add(regulation(row));
              }
              return list;
            });
  }

  /**
   * Claims the oldest open deletion requested before {@code startBefore} that no live lease holds
   * ({@code for update skip locked}: two replicas never claim the same one), RUNNING under {@code
   * owner}'s lease until {@code leaseUntil}; empty when there is none.
   */
  public Uni<Optional<Claimed>> claim(
      UUID owner, Instant now, Instant startBefore, Instant leaseUntil) {
    return pool.preparedQuery(
            """
            with next as (
                select id from ingestion.regulations
                where status in ('INITIALIZED', 'RUNNING') and requested_at <= $3
                  and (lease_until is null or lease_until < $2)
                order by requested_at
                limit 1
                for update skip locked
            )
            update ingestion.regulations r
            set status = 'RUNNING', started_at = coalesce(r.started_at, $2),
                lease_owner = $1, lease_until = $4
            from next where r.id = next.id
            returning r.id, r.workspace_id, r.subject_type, r.subject_ids
            """)
        .execute(Tuple.of(owner, utc(now), utc(startBefore), utc(leaseUntil)))
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                return Optional.empty();
              }
              Row row = it.next();
              return Optional.of(
                  new Claimed(
                      row.getUUID(0), row.getUUID(1), row.getString(2), row.getArrayOfStrings(3)));
            });
  }

  /**
   * A partition of {@code ingestion.events} as a deletion sees it: its size in blocks when the
   * deletion reached it, and whether it has a valid index on the subject field.
   */
  public record SubjectPartition(String name, long blocks, boolean indexed) {}

  /** The events' partitions, with whether each has a valid index named {@code name + suffix}. */
  public Uni<List<SubjectPartition>> subjectPartitions(String indexSuffix) {
    return pool.preparedQuery(
            """
            select c.relname,
                   pg_relation_size(c.oid) / current_setting('block_size')::bigint,
                   coalesce((select x.indisvalid from pg_index x
                             where x.indexrelid = to_regclass('ingestion.' || c.relname || $1)), false)
            from pg_inherits i join pg_class c on c.oid = i.inhrelid
            where i.inhparent = 'ingestion.events'::regclass
            order by c.relname
            """)
        .execute(Tuple.of(indexSuffix))
        .map(
            rows -> {
              List<SubjectPartition> partitions = new ArrayList<>();
              for (Row row : rows) {
                partitions.add(
                    new SubjectPartition(row.getString(0), row.getLong(1), row.getBoolean(2)));
              }
              return partitions;
            });
  }

  /**
   * Deletes at most {@code batch} of the subjects' events in an indexed partition, found through
   * its subject index; see {@link #counted}.
   */
  public Uni<Integer> deleteIndexed(
      Claimed claimed, String partition, String field, UUID owner, int batch, Instant leaseUntil) {
    String doomed =
        """
        delete from ingestion.%1$s
        where ctid = any (array(
            select e.ctid from ingestion.%1$s e
            where e.workspace_id = $2 and (e.payload ->> '%2$s') = any($3) limit $5))
          and exists (select 1 from ingestion.regulations where id = $1 and lease_owner = $4)
        returning 1
        """
            .formatted(identifier(partition), field);
    return counted(doomed, claimed, owner, leaseUntil, batch);
  }

  /**
   * Deletes the subjects' events stored in blocks [{@code fromBlock}, {@code toBlock}) of a
   * partition without a subject index (today's, the default one), one TID range scan of those
   * blocks; see {@link #counted}.
   */
  public Uni<Integer> deleteInBlocks(
      Claimed claimed,
      String partition,
      String field,
      UUID owner,
      long fromBlock,
      long toBlock,
      Instant leaseUntil) {
    String doomed =
        """
        delete from ingestion.%1$s e
        where e.ctid >= ('(' || $5::bigint || ',0)')::tid and e.ctid < ('(' || $6::bigint || ',0)')::tid
          and e.workspace_id = $2 and (e.payload ->> '%2$s') = any($3)
          and exists (select 1 from ingestion.regulations where id = $1 and lease_owner = $4)
        returning 1
        """
            .formatted(identifier(partition), field);
    return counted(doomed, claimed, owner, leaseUntil, fromBlock, toBlock);
  }

  /**
   * Runs {@code doomed} (a delete of the claimed regulation's subjects, {@code $1}..{@code $4} the
   * regulation, workspace, subject ids and owner, then {@code more}), adds what it deleted to the
   * regulation's count and renews the lease, in one statement; answers how many it deleted. Nothing
   * is deleted once another replica took the regulation over.
   */
  private Uni<Integer> counted(
      String doomed, Claimed claimed, UUID owner, Instant leaseUntil, Object... more) {
    Tuple args =
        Tuple.tuple()
            .addUUID(claimed.id())
            .addUUID(claimed.workspaceId())
            .addArrayOfString(claimed.subjectIds())
            .addUUID(owner);
    for (Object value : more) {
      args.addValue(value);
    }
    args.addOffsetDateTime(utc(leaseUntil));
    int lease = 5 + more.length;
    String statement =
        """
        with deleted as (%s), counted as (select count(*) as n from deleted)
        update ingestion.regulations
        set events_deleted = events_deleted + counted.n, lease_until = $%d
        from counted where id = $1 and lease_owner = $4
        returning counted.n
        """
            .formatted(doomed, lease);
    return pool.preparedQuery(statement)
        .execute(args)
        .map(
            rows -> {
              var it = rows.iterator();
              if (!it.hasNext()) {
                throw new IllegalStateException(
                    "the lease of regulation " + claimed.id() + " was lost");
              }
              return (int) it.next().getLong(0).longValue();
            });
  }

  /**
   * The subject index {@code index} of {@code partition}: absent (empty), valid (true), or left
   * invalid by a build that did not finish (false).
   */
  public Uni<Optional<Boolean>> subjectIndex(String index) {
    return pool.preparedQuery(
            "select x.indisvalid from pg_index x where x.indexrelid = to_regclass($1)")
        .execute(Tuple.of("ingestion." + identifier(index)))
        .map(
            rows -> {
              var it = rows.iterator();
              return it.hasNext() ? Optional.of(it.next().getBoolean(0)) : Optional.empty();
            });
  }

  /**
   * Builds {@code partition}'s index on {@code (workspace_id, (payload ->> field))} without
   * blocking its inserts ({@code create index concurrently}), dropping first what a build that did
   * not finish left behind. Serialised across replicas by a session advisory lock on one
   * connection: answers false, doing nothing, when another replica holds it.
   */
  public Uni<Boolean> buildSubjectIndex(String partition, String field, String index) {
    String table = "ingestion." + identifier(partition);
    String name = identifier(index);
    return pool.withConnection(
        connection ->
            connection
                .preparedQuery("select pg_try_advisory_lock($1)")
                .execute(Tuple.of(INDEX_LOCK))
                .flatMap(
                    locked ->
                        !locked.iterator().next().getBoolean(0)
                            ? Uni.createFrom().item(false)
                            : connection
                                .query("drop index concurrently if exists ingestion." + name)
                                .execute()
                                .flatMap(
                                    ignored ->
                                        connection
                                            .query(
                                                "create index concurrently %s on %s (workspace_id,"
                                                        .formatted(name, table)
                                                    + " (payload ->> '%s'))".formatted(field))
                                            .execute())
                                .replaceWith(true)
                                .eventually(
                                    () ->
                                        connection
                                            .preparedQuery("select pg_advisory_unlock($1)")
                                            .execute(Tuple.of(INDEX_LOCK)))));
  }

  /** A partition or index name spliced into SQL: only the names this service gives. */
  private static String identifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not an identifier: " + name);
    }
    return name;
  }

  /** FINISHED at {@code now}; the subject ids are cleared, the proof (when, how many) stays. */
  public Uni<Void> finish(UUID id, UUID owner, Instant now) {
    return pool.preparedQuery(
            """
            update ingestion.regulations
            set status = 'FINISHED', finished_at = $3, subject_ids = null,
                lease_owner = null, lease_until = null, last_error = null
            where id = $1 and lease_owner = $2
            """)
        .execute(Tuple.of(id, owner, utc(now)))
        .replaceWithVoid();
  }

  /**
   * Records a failed attempt; the next one waits until {@code retryAt} (any replica), and resumes
   * the deletion where it stopped. The {@code maxAttempts}-th failure makes it FAILED (the ids are
   * cleared then too).
   */
  public Uni<Void> failAttempt(
      UUID id, UUID owner, String error, int maxAttempts, Instant now, Instant retryAt) {
    return pool.preparedQuery(
            """
            update ingestion.regulations
            set attempts = attempts + 1, last_error = left($3, 500),
                lease_owner = null, lease_until = $6,
                status = case when attempts + 1 >= $4 then 'FAILED' else status end,
                finished_at = case when attempts + 1 >= $4 then $5 end,
                subject_ids = case when attempts + 1 >= $4 then null else subject_ids end
            where id = $1 and lease_owner = $2
            """)
        .execute(Tuple.of(id, owner, error, maxAttempts, utc(now), utc(retryAt)))
        .replaceWithVoid();
  }

  /** Regulations past their deadline and not FINISHED (FAILED ones included). */
  public Uni<Long> overdue(Instant now) {
    return pool.preparedQuery(
            "select count(*) from ingestion.regulations"
                + " where status <> 'FINISHED' and deadline_at < $1")
        .execute(Tuple.of(utc(now)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Regulation regulation(Row row) {
    return new Regulation(
        row.getUUID(0),
        row.getUUID(1),
        row.getString(2),
        row.getString(3),
        row.getInteger(4),
        row.getString(5),
        row.getString(6),
        instant(row.getOffsetDateTime(7)),
        instant(row.getOffsetDateTime(8)),
        instant(row.getOffsetDateTime(9)),
        instant(row.getOffsetDateTime(10)),
        row.getLong(11),
        row.getInteger(12),
        row.getString(13),
        row.getBoolean(14));
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
