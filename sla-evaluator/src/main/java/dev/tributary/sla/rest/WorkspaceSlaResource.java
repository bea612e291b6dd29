package dev.tributary.sla.rest;

import dev.tributary.sla.repository.TerminationRepository;
import dev.tributary.sla.repository.TerminationRepository.OrderForm;
import dev.tributary.sla.service.ReportService;
import dev.tributary.sla.service.ReportService.MinuteRow;
import dev.tributary.sla.service.ReportService.ReportView;
import dev.tributary.sla.service.TerminationRightService;
import dev.tributary.sla.service.TerminationRightService.ExerciseRequest;
import dev.tributary.sla.service.TerminationRightService.TerminationRightView;
import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A workspace's SLA: monthly reports, the per-minute ledger, the Special Termination Right. */
@Path("/v1/workspaces/{workspaceId}")
@Tag(name = "Reports")
@SecurityRequirement(name = "SecurityScheme")
public class WorkspaceSlaResource {

  public record Correction(String reason, String requestedBy) {}

  public record ExerciseBody(
      Instant receivedAt, String reference, LocalDate terminationDate, String recordedBy) {}

  public record OrderFormBody(
      LocalDate termStart, LocalDate termEnd, BigDecimal prepaidFees, String currency) {}

  private final ReportService reports;
  private final TerminationRightService terminationRight;
  private final TerminationRepository termination;
  private final PlatformConfig tokens;
  private final Clock clock;

  public WorkspaceSlaResource(
      ReportService reports,
      TerminationRightService terminationRight,
      TerminationRepository termination,
      PlatformConfig tokens,
      Clock clock) {
    this.reports = reports;
    this.terminationRight = terminationRight;
    this.termination = termination;
    this.tokens = tokens;
    this.clock = clock;
  }

  @GET
  @Path("/reports/{month}")
  @Operation(
      summary = "A month's availability report (yyyy-MM in the workspace's contract time zone)",
      description =
          "A closed month's report is frozen (frozen=true); the current month's is computed now,"
              + " with the minutes still to come counted as pending.")
  public Uni<ReportView> report(
      @PathParam("workspaceId") UUID workspaceId, @PathParam("month") String month) {
    return reports.report(workspaceId, Errors.month(month));
  }

  @POST
  @Path("/reports/{month}/corrections")
  @Operation(
      summary = "Recompute a frozen month from today's evidence (an explicit, logged correction)")
  public Uni<ReportView> correct(
      @PathParam("workspaceId") UUID workspaceId,
      @PathParam("month") String month,
      Correction body,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    if (body == null || body.reason() == null || body.reason().isBlank()) {
      throw ApiException.unprocessable(
          "reason_required", "a correction needs a reason; it is kept with the previous version");
    }
    return reports.correct(
        workspaceId,
        Errors.month(month),
        body.reason().strip(),
        Actor.of(body.requestedBy(), authorization, tokens));
  }

  @GET
  @Path("/minutes")
  @Operation(
      summary = "The per-minute ledger in [from, to) (at most 7 days): verdict, reason, evidence")
  public Uni<List<MinuteRow>> minutes(
      @PathParam("workspaceId") UUID workspaceId,
      @QueryParam("from") String from,
      @QueryParam("to") String to) {
    return reports.minutes(
        workspaceId,
        ApiException.instantParameter("from", from),
        ApiException.instantParameter("to", to));
  }

  @GET
  @Path("/termination-right")
  @Operation(summary = "The Special Termination Right: NONE, AVAILABLE, WAIVED or EXERCISED")
  public Uni<TerminationRightView> terminationRight(@PathParam("workspaceId") UUID workspaceId) {
    return terminationRight.view(workspaceId);
  }

  @POST
  @Path("/termination-right/exercise")
  @Operation(
      summary = "Record the customer's written notice exercising the Special Termination Right",
      description = "409 unless the right was available when the notice was received.")
  public Uni<TerminationRightView> exercise(
      @PathParam("workspaceId") UUID workspaceId,
      ExerciseBody body,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    if (body == null) {
      throw ApiException.unprocessable("missing_body", "send the notice's reference");
    }
    return terminationRight.exercise(
        workspaceId,
        new ExerciseRequest(body.receivedAt(), body.reference(), body.terminationDate()),
        Actor.of(body.recordedBy(), authorization, tokens));
  }

  @GET
  @Path("/order-form")
  @Operation(summary = "The order form on record (term and prepaid fees)")
  public Uni<OrderForm> orderForm(@PathParam("workspaceId") UUID workspaceId) {
    return termination
        .orderForm(workspaceId)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("order form")));
  }

  @PUT
  @Path("/order-form")
  @Operation(summary = "Record the order form (term dates inclusive, prepaid fees, currency)")
  public Uni<OrderForm> putOrderForm(
      @PathParam("workspaceId") UUID workspaceId, OrderFormBody body) {
    if (body == null) {
      throw ApiException.unprocessable("missing_body", "send the order form as a JSON object");
    }
    Errors errors = new Errors();
    errors.require(body.termStart(), "termStart");
    errors.require(body.termEnd(), "termEnd");
    errors.require(body.prepaidFees(), "prepaidFees");
    errors.require(body.currency(), "currency");
    if (body.termStart() != null
        && body.termEnd() != null
        && body.termEnd().isBefore(body.termStart())) {
      errors.add("end_before_start", "termEnd must not be before termStart");
    }
    if (body.prepaidFees() != null
        && (body.prepaidFees().signum() < 0 || body.prepaidFees().scale() > 2)) {
      errors.add("invalid_amount", "prepaidFees must be a non-negative amount with 2 decimals");
    }
    if (body.currency() != null && !body.currency().matches("[A-Z]{3}")) {
      errors.add("invalid_currency", "currency must be an ISO 4217 code, e.g. USD");
    }
    errors.throwIfAny();
    OrderForm form =
        new OrderForm(body.termStart(), body.termEnd(), body.prepaidFees(), body.currency());
    return reports
        .workspace(workspaceId)
        .flatMap(ws -> termination.putOrderForm(workspaceId, form, clock.instant()))
        .replaceWith(form);
  }
}
