package dev.tributary.sla.repository;

import static dev.tributary.sla.repository.EvidenceRepository.utc;
import static dev.tributary.sla.repository.MaintenanceRepository.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Declared exclusions (SLA §2): every one keeps its reason and who declared it. */
@ApplicationScoped
public class ExclusionRepository {

  /** A stored exclusion; {@code workspaceId} null means it concerns every workspace. */
  public record StoredExclusion(
      UUID id,
      UUID workspaceId,
      Instant start,
      Instant end,
      String category,
      String reason,
      String declaredBy,
      Instant declaredAt) {}

  private static final String COLUMNS =
      "id, workspace_id, start_at, end_at, category, reason, declared_by, declared_at";

  private final Pool pool;

  public ExclusionRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Void> insert(StoredExclusion e) {
    return pool.preparedQuery(
            "insert into sla.exclusions (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(
            Tuple.from(
                new Object[] {
                  e.id(),
                  e.workspaceId(),
                  utc(e.start()),
                  utc(e.end()),
                  e.category(),
                  e.reason(),
                  e.declaredBy(),
                  utc(e.declaredAt())
                }))
        .replaceWithVoid();
  }

  public Uni<Optional<StoredExclusion>> find(UUID id) {
    return pool.preparedQuery("select " + COLUMNS + " from sla.exclusions where id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(exclusion(rows.iterator().next())));
  }

  /**
   * Exclusions overlapping {@code [from, to)}: with a workspace, those of that workspace and those
   * of everyone; without, all of them.
   */
  public Uni<List<StoredExclusion>> overlapping(UUID workspaceId, Instant from, Instant to) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from sla.exclusions where start_at < $2 and end_at > $1"
                + " and ($3::uuid is null or workspace_id is null or workspace_id = $3)"
                + " order by start_at, id limit 10000")
        .execute(Tuple.of(utc(from), utc(to), workspaceId))
        .map(
            rows -> {
              List<StoredExclusion> list = new ArrayList<>();
              rows.forEach(row -> list.add(exclusion(row)));
              return list;
            });
  }

  /** Exclusions of everyone (no workspace) overlapping {@code [from, to)}: the platform's. */
  public Uni<List<StoredExclusion>> ofEveryone(Instant from, Instant to) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from sla.exclusions where start_at < $2 and end_at > $1"
                + " and workspace_id is null order by start_at, id limit 10000")
        .execute(Tuple.of(utc(from), utc(to)))
        .map(
            rows -> {
              List<StoredExclusion> list = new ArrayList<>();
              rows.forEach(row -> list.add(exclusion(row)));
              return list;
            });
  }

  private static StoredExclusion exclusion(Row row) {
    return new StoredExclusion(
        row.getUUID("id"),
        row.getUUID("workspace_id"),
        instant(row, "start_at"),
        instant(row, "end_at"),
        row.getString("category"),
        row.getString("reason"),
        row.getString("declared_by"),
        instant(row, "declared_at"));
  }
}
