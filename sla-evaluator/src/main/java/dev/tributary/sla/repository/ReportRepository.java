package dev.tributary.sla.repository;

import static dev.tributary.sla.repository.EvidenceRepository.utc;
import static dev.tributary.sla.repository.MaintenanceRepository.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Frozen monthly reports (stored as the JSON the evaluation produced, with the minute ledger) and
 * their corrections, each keeping the version it replaced.
 */
@ApplicationScoped
public class ReportRepository {

  /** A closed month's frozen report; {@code reportJson} and {@code ledgerJson} are JSON text. */
  public record FrozenReport(
      UUID workspaceId,
      YearMonth month,
      String timeZone,
      String reportJson,
      String ledgerJson,
      boolean targetMet,
      Instant frozenAt,
      int revision,
      UUID slaMissNoticeId,
      Instant slaMissNoticeSentAt) {}

  /** A frozen month's outcome, for the Special Termination Right. */
  public record Outcome(YearMonth month, boolean targetMet, Instant slaMissNoticeSentAt) {}

  private static final String COLUMNS =
      "workspace_id, month, time_zone, report::text as report, ledger::text as ledger, target_met,"
          + " frozen_at, revision, sla_miss_notice_id, sla_miss_notice_sent_at";

  private final Pool pool;

  public ReportRepository(Pool pool) {
    this.pool = pool;
  }

  /** Freezes a month; false when it was frozen already (by another replica). */
  public Uni<Boolean> freeze(
      UUID workspaceId,
      YearMonth month,
      String timeZone,
      String reportJson,
      String ledgerJson,
      boolean targetMet,
      Instant frozenAt) {
    return pool.preparedQuery(
            """
            insert into sla.monthly_reports (workspace_id, month, time_zone, report, ledger,
                target_met, frozen_at)
            values ($1, $2, $3, $4::text::jsonb, $5::text::jsonb, $6, $7)
            on conflict (workspace_id, month) do nothing
            """)
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId,
                  month.toString(),
                  timeZone,
                  reportJson,
                  ledgerJson,
                  targetMet,
                  utc(frozenAt)
                }))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The workspaces whose {@code month} is frozen already (one query for every workspace). */
  public Uni<Set<UUID>> frozenWorkspaces(YearMonth month) {
    return pool.preparedQuery("select workspace_id from sla.monthly_reports where month = $1")
        .execute(Tuple.of(month.toString()))
        .map(
            rows -> {
              Set<UUID> frozen = new HashSet<>();
              rows.forEach(row -> frozen.add(row.getUUID("workspace_id")));
              return frozen;
            });
  }

  public Uni<Optional<FrozenReport>> find(UUID workspaceId, YearMonth month) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from sla.monthly_reports where workspace_id = $1 and month = $2")
        .execute(Tuple.of(workspaceId, month.toString()))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(frozen(rows.iterator().next())));
  }

  /**
   * Replaces a frozen report by a recomputation, keeping the previous version, the reason and who
   * asked, in one statement. Answers the new revision.
   */
  public Uni<Integer> correct(
      UUID workspaceId,
      YearMonth month,
      String reportJson,
      String ledgerJson,
      boolean targetMet,
      String reason,
      String requestedBy,
      Instant at) {
    return pool.preparedQuery(
            """
            with previous as (
                select report from sla.monthly_reports
                where workspace_id = $1 and month = $2 for update),
            corrected as (
                update sla.monthly_reports set report = $3::text::jsonb, ledger = $4::text::jsonb,
                    target_met = $5, revision = revision + 1
                where workspace_id = $1 and month = $2
                returning revision)
            insert into sla.report_corrections (workspace_id, month, revision, reason, requested_by,
                corrected_at, previous_report)
            select $1, $2, corrected.revision, $6, $7, $8, previous.report
            from previous, corrected
            returning revision
            """)
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId,
                  month.toString(),
                  reportJson,
                  ledgerJson,
                  targetMet,
                  reason,
                  requestedBy,
                  utc(at)
                }))
        .map(rows -> rows.iterator().next().getInteger("revision"));
  }

  /** Frozen months that missed the target and whose SLA_MISS notice was not created yet. */
  public Uni<List<FrozenReport>> missesWithoutNotice() {
    return list(
        "select "
            + COLUMNS
            + " from sla.monthly_reports where not target_met and sla_miss_notice_id is null"
            + " order by frozen_at limit 500",
        Tuple.tuple());
  }

  /** SLA_MISS notices created whose delivery time is not known yet. */
  public Uni<List<FrozenReport>> missNoticesAwaitingDelivery() {
    return list(
        "select "
            + COLUMNS
            + " from sla.monthly_reports where sla_miss_notice_id is not null"
            + " and sla_miss_notice_sent_at is null order by frozen_at limit 500",
        Tuple.tuple());
  }

  public Uni<Void> setSlaMissNotice(UUID workspaceId, YearMonth month, UUID noticeId) {
    return pool.preparedQuery(
            "update sla.monthly_reports set sla_miss_notice_id = $3"
                + " where workspace_id = $1 and month = $2")
        .execute(Tuple.of(workspaceId, month.toString(), noticeId))
        .replaceWithVoid();
  }

  public Uni<Void> setSlaMissNoticeSentAt(UUID workspaceId, YearMonth month, Instant sentAt) {
    return pool.preparedQuery(
            "update sla.monthly_reports set sla_miss_notice_sent_at = $3"
                + " where workspace_id = $1 and month = $2 and sla_miss_notice_sent_at is null")
        .execute(Tuple.of(workspaceId, month.toString(), utc(sentAt)))
        .replaceWithVoid();
  }

  /** Every frozen month of a workspace, oldest first. */
  public Uni<List<Outcome>> outcomes(UUID workspaceId) {
    return pool.preparedQuery(
            "select month, target_met, sla_miss_notice_sent_at from sla.monthly_reports"
                + " where workspace_id = $1 order by month")
        .execute(Tuple.of(workspaceId))
        .map(
            rows -> {
              List<Outcome> outcomes = new ArrayList<>();
              for (Row row : rows) {
                outcomes.add(
                    new Outcome(
                        YearMonth.parse(row.getString("month")),
                        row.getBoolean("target_met"),
                        instant(row, "sla_miss_notice_sent_at")));
              }
              return outcomes;
            });
  }

  /** A workspace's frozen months from {@code from} on, oldest first (one query). */
  public Uni<List<FrozenReport>> since(UUID workspaceId, YearMonth from) {
    return list(
        "select "
            + COLUMNS
            + " from sla.monthly_reports where workspace_id = $1 and month >= $2 order by month",
        Tuple.of(workspaceId, from.toString()));
  }

  /** Workspaces with at least one missed month (candidates for the termination right). */
  public Uni<List<UUID>> workspacesWithMisses() {
    return pool.query("select distinct workspace_id from sla.monthly_reports where not target_met")
        .execute()
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID("workspace_id")));
              return ids;
            });
  }

  private Uni<List<FrozenReport>> list(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<FrozenReport> reports = new ArrayList<>();
              rows.forEach(row -> reports.add(frozen(row)));
              return reports;
            });
  }

  private static FrozenReport frozen(Row row) {
    return new FrozenReport(
        row.getUUID("workspace_id"),
        YearMonth.parse(row.getString("month")),
        row.getString("time_zone"),
        row.getString("report"),
        row.getString("ledger"),
        row.getBoolean("target_met"),
        instant(row, "frozen_at"),
        row.getInteger("revision"),
        row.getUUID("sla_miss_notice_id"),
        instant(row, "sla_miss_notice_sent_at"));
  }
}
