package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.dto.RegulationDtos.CreateRegulation;
import dev.tributary.ingestion.dto.RegulationDtos.RegulationPage;
import dev.tributary.ingestion.dto.RegulationDtos.RegulationView;
import dev.tributary.ingestion.service.RegulationService;
import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** End-user deletion and suppression (Segment's regulations API). Admin token. */
@Path("/admin/v1/workspaces/{id}/regulations")
@Tag(name = "Regulations")
@SecurityRequirement(name = "SecurityScheme")
public class RegulationResource {

  private static final int MAX_PAGE = 200;

  private final RegulationService regulations;

  public RegulationResource(RegulationService regulations) {
    this.regulations = regulations;
  }

  @POST
  @Operation(
      summary =
          "Ask for a regulation: 202 with it (its id, status, deadline). A suppression applies"
              + " within seconds on every replica; a deletion is done by the regulation job")
  public Uni<RestResponse<RegulationView>> create(
      @PathParam("id") UUID id, CreateRegulation request) {
    if (request == null) {
      throw ApiException.badRequest("invalid_body", "the body must be a regulation");
    }
    return regulations
        .create(id, request)
        .map(view -> RestResponse.status(RestResponse.Status.ACCEPTED, view));
  }

  @GET
  @Operation(summary = "The workspace's regulations, newest first; ?after=<id> for the next page")
  public Uni<RegulationPage> list(
      @PathParam("id") UUID id,
      @QueryParam("limit") @DefaultValue("50") String limit,
      @QueryParam("after") String after) {
    return regulations.list(
        id, PageParameters.limit(limit, MAX_PAGE), PageParameters.cursorId("after", after));
  }

  @GET
  @Path("/{regulationId}")
  @Operation(summary = "One regulation: status, events deleted, deadline, who asked, when")
  public Uni<RegulationView> get(
      @PathParam("id") UUID id, @PathParam("regulationId") UUID regulationId) {
    return regulations.get(id, regulationId);
  }
}
