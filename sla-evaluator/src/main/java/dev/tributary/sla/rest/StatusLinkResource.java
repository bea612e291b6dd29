package dev.tributary.sla.rest;

import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.service.StatusLinks;
import dev.tributary.support.PlatformConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operators' control of a workspace's private status link (admin token, {@code /admin/**}). */
@Path("/admin/v1/workspaces/{workspaceId}/status-link")
@Tag(name = "Status page")
@SecurityRequirement(name = "SecurityScheme")
public class StatusLinkResource {

  /** The new link, shown this once (only its hash is kept). */
  public record StatusLink(UUID workspaceId, String path, String url) {}

  private final StatusLinks links;
  private final SlaConfig config;
  private final PlatformConfig tokens;

  public StatusLinkResource(StatusLinks links, SlaConfig config, PlatformConfig tokens) {
    this.links = links;
    this.config = config;
    this.tokens = tokens;
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Make or rotate a workspace's private status page link",
      description =
          "Answers the new link once; the previous one stops working at once. 404 for a workspace"
              + " ingestion-api does not know.")
  public Uni<Response> rotate(
      @PathParam("workspaceId") UUID workspaceId,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context UriInfo uri) {
    String page = StatusPageResource.pageUrl(config, uri);
    return links
        .rotate(workspaceId, Actor.of(null, authorization, tokens))
        .map(
            token ->
                Response.status(201)
                    .entity(new StatusLink(workspaceId, "/status/w/" + token, page + "/w/" + token))
                    .header("Cache-Control", "no-store")
                    .build());
  }
}
