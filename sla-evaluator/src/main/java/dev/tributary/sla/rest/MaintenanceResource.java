package dev.tributary.sla.rest;

import dev.tributary.sla.service.MaintenanceService;
import dev.tributary.sla.service.MaintenanceService.WindowView;
import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Scheduled maintenance windows (SLA §3). */
@Path("/v1/maintenance-windows")
@Tag(name = "Maintenance")
@SecurityRequirement(name = "SecurityScheme")
public class MaintenanceResource {

  /** A window; without noticeSentAt every customer is notified now through notice-service. */
  public record ScheduleWindow(
      Instant start, Instant end, String description, Instant noticeSentAt, String createdBy) {}

  public record CancelWindow(String reason, String cancelledBy) {}

  private final MaintenanceService maintenance;
  private final PlatformConfig tokens;

  public MaintenanceResource(MaintenanceService maintenance, PlatformConfig tokens) {
    this.maintenance = maintenance;
    this.tokens = tokens;
  }

  @POST
  @Operation(
      summary = "Schedule a maintenance window",
      description =
          "409 maintenance_window_overlap when it overlaps a scheduled window (nobody is notified"
              + " then); 503 notice_service_unavailable when the notice cannot be sent (nothing"
              + " is recorded).")
  public Uni<Response> schedule(
      ScheduleWindow body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    validate(body == null ? null : body.start(), body == null ? null : body.end(), body);
    return maintenance
        .schedule(
            body.start(),
            body.end(),
            body.description().strip(),
            body.noticeSentAt(),
            Actor.of(body.createdBy(), authorization, tokens))
        .map(view -> Response.status(201).entity(view).build());
  }

  @GET
  @Operation(summary = "Windows overlapping [from, to), every status")
  public Uni<List<WindowView>> list(@QueryParam("from") String from, @QueryParam("to") String to) {
    return maintenance.list(
        ApiException.instantParameter("from", from), ApiException.instantParameter("to", to));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A window, with when its notice first reached each workspace")
  public Uni<WindowView> get(@PathParam("id") UUID id) {
    return maintenance.get(id);
  }

  @POST
  @Path("/{id}/cancel")
  @Operation(summary = "Cancel a window (customers are notified when they were notified of it)")
  public Uni<WindowView> cancel(
      @PathParam("id") UUID id,
      CancelWindow body,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    String reason = body == null || body.reason() == null ? "cancelled" : body.reason().strip();
    return maintenance.cancel(
        id, reason, Actor.of(body == null ? null : body.cancelledBy(), authorization, tokens));
  }

  @POST
  @Path("/{id}/reschedule")
  @Operation(
      summary = "Move a window: the old one is marked rescheduled, a new one replaces it",
      description =
          "Customers receive a MAINTENANCE_RESCHEDULED notice, and the 3 business days count"
              + " from that notice.")
  public Uni<WindowView> reschedule(
      @PathParam("id") UUID id,
      ScheduleWindow body,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    if (body == null) {
      throw ApiException.unprocessable("missing_body", "send start and end as a JSON object");
    }
    Errors errors = new Errors();
    errors.range(body.start(), body.end(), "");
    errors.throwIfAny();
    return maintenance.reschedule(
        id,
        body.start(),
        body.end(),
        body.description() == null ? null : body.description().strip(),
        body.noticeSentAt(),
        Actor.of(body.createdBy(), authorization, tokens));
  }

  private static void validate(Instant start, Instant end, ScheduleWindow body) {
    if (body == null) {
      throw ApiException.unprocessable(
          "missing_body", "send start, end and description as a JSON object");
    }
    Errors errors = new Errors();
    errors.range(start, end, "");
    errors.require(body.description(), "description");
    if (body.description() != null && body.description().length() > 5000) {
      errors.add("description_too_long", "description is longer than 5,000 characters");
    }
    errors.throwIfAny();
  }
}
