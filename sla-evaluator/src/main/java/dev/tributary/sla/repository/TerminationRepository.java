package dev.tributary.sla.repository;

import static dev.tributary.sla.repository.EvidenceRepository.utc;
import static dev.tributary.sla.repository.MaintenanceRepository.instant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The Special Termination Right's records: the customer's order form (for the refund), the
 * customer's exercise, and the TERMINATION_RIGHT notices sent.
 */
@ApplicationScoped
public class TerminationRepository {

  /** The order form's term (both dates inclusive) and the fees prepaid for it. */
  public record OrderForm(
      LocalDate termStart, LocalDate termEnd, BigDecimal prepaidFees, String currency) {}

  /** The customer's written notice exercising the right. */
  public record Exercise(
      Instant receivedAt,
      String reference,
      LocalDate terminationDate,
      List<YearMonth> triggeringMonths,
      BigDecimal refund,
      String currency,
      String recordedBy,
      Instant recordedAt) {}

  private final Pool pool;

  public TerminationRepository(Pool pool) {
    this.pool = pool;
  }

  public Uni<Optional<OrderForm>> orderForm(UUID workspaceId) {
    return pool.preparedQuery(
            "select term_start, term_end, prepaid_fees, currency from sla.order_forms"
                + " where workspace_id = $1")
        .execute(Tuple.of(workspaceId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new OrderForm(
                      row.getLocalDate("term_start"),
                      row.getLocalDate("term_end"),
                      row.getBigDecimal("prepaid_fees"),
                      row.getString("currency")));
            });
  }

  public Uni<Void> putOrderForm(UUID workspaceId, OrderForm form, Instant at) {
    return pool.preparedQuery(
            """
            insert into sla.order_forms (workspace_id, term_start, term_end, prepaid_fees, currency,
                updated_at)
            values ($1, $2, $3, $4, $5, $6)
            on conflict (workspace_id) do update set term_start = excluded.term_start,
                term_end = excluded.term_end, prepaid_fees = excluded.prepaid_fees,
                currency = excluded.currency, updated_at = excluded.updated_at
            """)
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId,
                  form.termStart(),
                  form.termEnd(),
                  form.prepaidFees(),
                  form.currency(),
                  utc(at)
                }))
        .replaceWithVoid();
  }

  public Uni<Optional<Exercise>> exercise(UUID workspaceId) {
    return pool.preparedQuery(
            "select received_at, reference, termination_date, triggering_months, refund, currency,"
                + " recorded_by, recorded_at from sla.termination_exercises where workspace_id = $1")
        .execute(Tuple.of(workspaceId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Exercise(
                      instant(row, "received_at"),
                      row.getString("reference"),
                      row.getLocalDate("termination_date"),
                      Arrays.stream(row.getArrayOfStrings("triggering_months"))
                          .map(YearMonth::parse)
                          .toList(),
                      row.getBigDecimal("refund"),
                      row.getString("currency"),
                      row.getString("recorded_by"),
                      instant(row, "recorded_at")));
            });
  }

  /** Records the exercise; false when one was recorded already. */
  public Uni<Boolean> recordExercise(UUID workspaceId, Exercise e) {
    return pool.preparedQuery(
            """
            insert into sla.termination_exercises (workspace_id, received_at, reference,
                termination_date, triggering_months, refund, currency, recorded_by, recorded_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """)
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId,
                  utc(e.receivedAt()),
                  e.reference(),
                  e.terminationDate(),
                  e.triggeringMonths().stream().map(YearMonth::toString).toArray(String[]::new),
                  e.refund(),
                  e.currency(),
                  e.recordedBy(),
                  utc(e.recordedAt())
                }))
        .replaceWith(true)
        .onFailure(f -> f instanceof PgException pg && "23505".equals(pg.getSqlState()))
        .recoverWithItem(false);
  }

  /** Whether the TERMINATION_RIGHT notice of the trigger completed by {@code month} was sent. */
  public Uni<Boolean> noticeSent(UUID workspaceId, YearMonth completedBy) {
    return pool.preparedQuery(
            "select 1 from sla.termination_notices where workspace_id = $1 and completed_by = $2")
        .execute(Tuple.of(workspaceId, completedBy.toString()))
        .map(rows -> rows.size() > 0);
  }

  public Uni<Void> recordNotice(
      UUID workspaceId, YearMonth completedBy, UUID noticeId, Instant deadline, Instant at) {
    return pool.preparedQuery(
            "insert into sla.termination_notices (workspace_id, completed_by, notice_id, deadline,"
                + " created_at) values ($1, $2, $3, $4, $5) on conflict do nothing")
        .execute(Tuple.of(workspaceId, completedBy.toString(), noticeId, utc(deadline), utc(at)))
        .replaceWithVoid();
  }
}
