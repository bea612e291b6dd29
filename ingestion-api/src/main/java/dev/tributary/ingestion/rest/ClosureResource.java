package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.dto.SuspensionDtos.WorkspaceStanding;
import dev.tributary.ingestion.service.ClosureService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Closing a workspace (account). Admin token. */
@Path("/admin/v1/workspaces/{id}/closure")
@Tag(name = "Accounts")
@SecurityRequirement(name = "SecurityScheme")
public class ClosureResource {

  private final ClosureService closures;

  public ClosureResource(ClosureService closures) {
    this.closures = closures;
  }

  @POST
  @Operation(
      summary =
          "Close the workspace: its write keys are revoked at once, the CLOSURE notice confirms"
              + " it, its events and contacts are erased within 60 days; 202, or 200 when it was"
              + " closed before")
  public Uni<RestResponse<WorkspaceStanding>> close(@PathParam("id") UUID id) {
    return closures
        .close(id)
        .map(
            c ->
                c.closedNow()
                    ? RestResponse.status(RestResponse.Status.ACCEPTED, c.standing())
                    : RestResponse.ok(c.standing()));
  }
}
