package dev.tributary.notice.rest;

import dev.tributary.notice.dto.NoticeDtos.TermsInForce;
import dev.tributary.notice.service.TermsRegistry;
import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The terms registry: which version of a legal document binds a workspace at an instant. */
@Path("/v1/terms")
@Tag(name = "Terms")
@SecurityRequirement(name = "SecurityScheme")
public class TermsResource {

  private final TermsRegistry registry;
  private final Clock clock;

  public TermsResource(TermsRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @GET
  @Path("{document}/in-force")
  @Operation(
      summary =
          "The version of a document that binds a workspace at an instant (default now): from"
              + " effectiveAt for notified workspaces, at once for workspaces created after the"
              + " notice; 404 no_version_in_force when none")
  public Uni<TermsInForce> inForce(
      @PathParam("document") String document,
      @QueryParam("workspaceId") String workspaceId,
      @QueryParam("at") String at) {
    if (document == null || document.isBlank() || document.length() > 200) {
      throw ApiException.badRequest("invalid_document", "document must be 1 to 200 characters");
    }
    UUID workspace;
    try {
      workspace = UUID.fromString(workspaceId == null ? "" : workspaceId.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_workspace_id", "workspaceId must be a workspace id");
    }
    Instant instant;
    try {
      instant = at == null || at.isBlank() ? clock.instant() : Instant.parse(at.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "invalid_at", "at must be an instant such as 2026-04-01T00:00:00Z");
    }
    return registry.inForce(document, workspace, instant);
  }
}
