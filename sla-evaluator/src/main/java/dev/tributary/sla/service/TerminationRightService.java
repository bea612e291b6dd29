package dev.tributary.sla.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.tributary.sla.client.NoticeService;
import dev.tributary.sla.client.WorkspaceRecord;
import dev.tributary.sla.evaluation.MonthOutcome;
import dev.tributary.sla.evaluation.Refunds;
import dev.tributary.sla.evaluation.TerminationRightEvaluator;
import dev.tributary.sla.evaluation.TerminationRightStatus;
import dev.tributary.sla.evaluation.Trigger;
import dev.tributary.sla.repository.ReportRepository;
import dev.tributary.sla.repository.TerminationRepository;
import dev.tributary.sla.repository.TerminationRepository.Exercise;
import dev.tributary.sla.repository.TerminationRepository.OrderForm;
import dev.tributary.support.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Special Termination Right (SLA §4) of a workspace, from its frozen months and the delivery
 * times of their SLA_MISS notices: its status, the customer's exercise with the pro-rata refund,
 * and the TERMINATION_RIGHT notice that tells the customer the deadline.
 */
@ApplicationScoped
public class TerminationRightService {

  /** The right as the API shows it; the refund is what terminating today would return. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TerminationRightView(
      UUID workspaceId,
      @JsonUnwrapped TerminationRightStatus right,
      OrderForm orderForm,
      BigDecimal refundIfTerminatedToday,
      Exercise exercise) {}

  /** The customer's written notice: when it was received, its reference, the termination date. */
  public record ExerciseRequest(Instant receivedAt, String reference, LocalDate terminationDate) {}

  private final ReportService reportService;
  private final ReportRepository reports;
  private final TerminationRepository termination;
  private final NoticeService notices;
  private final Clock clock;

  TerminationRightService(
      ReportService reportService,
      ReportRepository reports,
      TerminationRepository termination,
      NoticeService notices,
      Clock clock) {
    this.reportService = reportService;
    this.reports = reports;
    this.termination = termination;
    this.notices = notices;
    this.clock = clock;
  }

  public Uni<TerminationRightView> view(UUID workspaceId) {
    return reportService
        .workspace(workspaceId)
        .flatMap(
            ws ->
                Uni.combine()
                    .all()
                    .unis(
                        status(ws, clock.instant()),
                        termination.orderForm(workspaceId),
                        termination.exercise(workspaceId))
                    .asTuple()
                    .map(
                        t -> {
                          TerminationRightStatus right = t.getItem1();
                          Optional<OrderForm> form = t.getItem2();
                          BigDecimal refund =
                              "AVAILABLE".equals(right.status()) && form.isPresent()
                                  ? refund(form.get(), LocalDate.now(clock.withZone(ws.zone())))
                                  : null;
                          return new TerminationRightView(
                              workspaceId,
                              right,
                              form.orElse(null),
                              refund,
                              t.getItem3().orElse(null));
                        }));
  }

  /** The right's status as of {@code asOf}. */
  public Uni<TerminationRightStatus> status(WorkspaceRecord ws, Instant asOf) {
    return Uni.combine()
        .all()
        .unis(reports.outcomes(ws.id()), termination.exercise(ws.id()))
        .asTuple()
        .map(
            t ->
                TerminationRightEvaluator.evaluate(
                    t.getItem1().stream()
                        .map(
                            o ->
                                new MonthOutcome(o.month(), o.targetMet(), o.slaMissNoticeSentAt()))
                        .toList(),
                    asOf,
                    t.getItem2().map(Exercise::receivedAt).orElse(null),
                    ws.zone()));
  }

  /**
   * Records the customer's written notice. 409 unless the right was available when the notice was
   * received; the refund is computed when the workspace has an order form on record.
   */
  public Uni<TerminationRightView> exercise(
      UUID workspaceId, ExerciseRequest request, String recordedBy) {
    Instant now = clock.instant();
    Instant receivedAt = request.receivedAt() != null ? request.receivedAt() : now;
    if (receivedAt.isAfter(now)) {
      throw ApiException.unprocessable("received_in_future", "receivedAt is in the future");
    }
    if (request.reference() == null || request.reference().isBlank()) {
      throw ApiException.unprocessable(
          "reference_required",
          "reference identifies the customer's written notice (a letter, an email's Message-ID)");
    }
    return reportService
        .workspace(workspaceId)
        .flatMap(
            ws ->
                Uni.combine()
                    .all()
                    .unis(status(ws, receivedAt), termination.orderForm(workspaceId))
                    .asTuple()
                    .flatMap(
                        t -> {
                          TerminationRightStatus right = t.getItem1();
                          if (!"AVAILABLE".equals(right.status())) {
                            throw new ApiException(
                                409,
                                "termination_right_not_available",
                                "the Special Termination Right was "
                                    + right.status()
                                    + " when the notice was received");
                          }
                          LocalDate date =
                              request.terminationDate() != null
                                  ? request.terminationDate()
                                  : LocalDate.ofInstant(receivedAt, ws.zone());
                          if (date.isBefore(LocalDate.ofInstant(receivedAt, ws.zone()))) {
                            throw ApiException.unprocessable(
                                "termination_before_notice",
                                "terminationDate cannot be before the day the notice was received");
                          }
                          Optional<OrderForm> form = t.getItem2();
                          Exercise exercise =
                              new Exercise(
                                  receivedAt,
                                  request.reference().strip(),
                                  date,
                                  right.triggeringMonths(),
                                  form.map(f -> refund(f, date)).orElse(null),
                                  form.map(OrderForm::currency).orElse(null),
                                  recordedBy,
                                  now);
                          return termination.recordExercise(workspaceId, exercise);
                        })
                    .invoke(
                        recorded -> {
                          if (!recorded) {
                            throw new ApiException(
                                409,
                                "termination_right_already_exercised",
                                "the Special Termination Right was exercised already");
                          }
                          Log.infof(
                              "workspace %s exercised the Special Termination Right (recorded by"
                                  + " %s)",
                              workspaceId, recordedBy);
                        })
                    .flatMap(ignored -> view(workspaceId)));
  }

  /**
   * Sends the TERMINATION_RIGHT notice of every available trigger whose awareness time is known and
   * whose notice was not sent yet.
   */
  public Uni<Void> notifyAvailableRights(List<WorkspaceRecord> workspaces) {
    return reports
        .workspacesWithMisses()
        .flatMap(
            ids ->
                Multi.createFrom()
                    .iterable(workspaces)
                    .filter(ws -> ids.contains(ws.id()))
                    .onItem()
                    .transformToUniAndConcatenate(this::notifyIfAvailable)
                    .collect()
                    .asList()
                    .replaceWithVoid());
  }

  private Uni<Void> notifyIfAvailable(WorkspaceRecord ws) {
    return status(ws, clock.instant())
        .flatMap(
            right -> {
              Trigger latest =
                  right.triggers().isEmpty()
                      ? null
                      : right.triggers().get(right.triggers().size() - 1);
              if (latest == null
                  || !"AVAILABLE".equals(latest.status())
                  || latest.awareAt() == null) {
                return Uni.createFrom().voidItem();
              }
              return termination
                  .noticeSent(ws.id(), latest.completedBy())
                  .flatMap(
                      sent -> {
                        if (sent) {
                          return Uni.createFrom().voidItem();
                        }
                        Map<String, Object> details = new LinkedHashMap<>();
                        details.put("rule", latest.rule());
                        details.put(
                            "triggeringMonths",
                            latest.months().stream().map(Object::toString).toList());
                        details.put("awareAt", latest.awareAt().toString());
                        details.put("deadline", latest.deadline().toString());
                        return notices
                            .terminationRight(ws.id(), latest.completedBy(), details)
                            .flatMap(
                                created ->
                                    termination.recordNotice(
                                        ws.id(),
                                        latest.completedBy(),
                                        created.id(),
                                        latest.deadline(),
                                        clock.instant()));
                      });
            })
        .onFailure()
        .recoverWithUni(
            failure -> {
              // One workspace's notice failing must not hold up the others (retried next round).
              Log.warnf(
                  "TERMINATION_RIGHT notice for workspace %s not sent yet (%s); will retry",
                  ws.id(), failure.toString());
              return Uni.createFrom().voidItem();
            });
  }

  private static BigDecimal refund(OrderForm form, LocalDate terminationDate) {
    return Refunds.proRata(form.termStart(), form.termEnd(), form.prepaidFees(), terminationDate);
  }
}
