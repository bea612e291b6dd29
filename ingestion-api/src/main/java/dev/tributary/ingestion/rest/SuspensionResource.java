package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.dto.SuspensionDtos.SuspendRequest;
import dev.tributary.ingestion.dto.SuspensionDtos.SuspensionView;
import dev.tributary.ingestion.dto.SuspensionDtos.WorkspaceStanding;
import dev.tributary.ingestion.service.SuspensionService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Suspending a workspace (after written notice) and lifting the suspension. Admin token. */
@Path("/admin/v1/workspaces/{id}/suspension")
@Tag(name = "Accounts")
@SecurityRequirement(name = "SecurityScheme")
public class SuspensionResource {

  private final SuspensionService suspensions;

  public SuspensionResource(SuspensionService suspensions) {
    this.suspensions = suspensions;
  }

  @POST
  @Operation(
      summary =
          "Ask for a suspension: 202 with the PENDING_NOTICE suspension (the SUSPENSION notice is"
              + " on its way; the keys are refused once it is delivered), 200 with the open one"
              + " when the workspace already has one")
  public Uni<RestResponse<SuspensionView>> suspend(
      @PathParam("id") UUID id, @Valid @NotNull SuspendRequest request) {
    return suspensions
        .suspend(id, request.reason())
        .map(
            r ->
                r.created()
                    ? RestResponse.status(RestResponse.Status.ACCEPTED, r.suspension())
                    : RestResponse.ok(r.suspension()));
  }

  @DELETE
  @Operation(summary = "Lift the open suspension at once and notify it; 409 when there is none")
  public Uni<SuspensionView> lift(@PathParam("id") UUID id) {
    return suspensions.lift(id);
  }

  @GET
  @Operation(summary = "The workspace's state (ACTIVE, SUSPENSION_PENDING, SUSPENDED, CLOSED)")
  public Uni<WorkspaceStanding> standing(@PathParam("id") UUID id) {
    return suspensions.standing(id);
  }
}
