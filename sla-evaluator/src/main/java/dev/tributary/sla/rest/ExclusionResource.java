package dev.tributary.sla.rest;

import dev.tributary.sla.evaluation.ExclusionCategory;
import dev.tributary.sla.repository.ExclusionRepository;
import dev.tributary.sla.repository.ExclusionRepository.StoredExclusion;
import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Declared exclusions (SLA §2), listed in every report they touch. */
@Path("/v1/exclusions")
@Tag(name = "Exclusions")
@SecurityRequirement(name = "SecurityScheme")
public class ExclusionResource {

  /**
   * A declared exclusion. UNAUTHORIZED_USE and CUSTOMER_CAUSED concern one workspace (workspaceId
   * required); the others concern everyone unless a workspace is given.
   */
  public record DeclareExclusion(
      Instant start,
      Instant end,
      String category,
      UUID workspaceId,
      String reason,
      String declaredBy) {}

  private final ExclusionRepository exclusions;
  private final PlatformConfig tokens;
  private final Clock clock;

  public ExclusionResource(ExclusionRepository exclusions, PlatformConfig tokens, Clock clock) {
    this.exclusions = exclusions;
    this.tokens = tokens;
    this.clock = clock;
  }

  @POST
  @Operation(summary = "Declare an exclusion window")
  public Uni<Response> declare(
      DeclareExclusion body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    if (body == null) {
      throw ApiException.unprocessable("missing_body", "send the exclusion as a JSON object");
    }
    Errors errors = new Errors();
    errors.range(body.start(), body.end(), "");
    errors.require(body.reason(), "reason");
    if (body.reason() != null && body.reason().length() > 2000) {
      errors.add("reason_too_long", "reason is longer than 2,000 characters");
    }
    ExclusionCategory category = EvaluationResource.category(body.category(), "", errors);
    if (category != null && category.requiresWorkspace() && body.workspaceId() == null) {
      errors.add("workspace_required", category + " concerns one workspace: give workspaceId");
    }
    errors.throwIfAny();
    StoredExclusion exclusion =
        new StoredExclusion(
            UUID.randomUUID(),
            body.workspaceId(),
            body.start(),
            body.end(),
            category.name(),
            body.reason().strip(),
            Actor.of(body.declaredBy(), authorization, tokens),
            clock.instant());
    return exclusions
        .insert(exclusion)
        .invoke(
            () ->
                Log.infof(
                    "exclusion %s declared by %s: %s %s..%s workspace %s",
                    exclusion.id(),
                    exclusion.declaredBy(),
                    exclusion.category(),
                    exclusion.start(),
                    exclusion.end(),
                    exclusion.workspaceId() == null ? "all" : exclusion.workspaceId()))
        .map(ignored -> Response.status(201).entity(exclusion).build());
  }

  @GET
  @Operation(summary = "Exclusions overlapping [from, to), optionally of one workspace")
  public Uni<List<StoredExclusion>> list(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("workspaceId") UUID workspaceId) {
    return exclusions.overlapping(
        workspaceId,
        ApiException.instantParameter("from", from),
        ApiException.instantParameter("to", to));
  }

  @GET
  @Path("/{id}")
  public Uni<StoredExclusion> get(@PathParam("id") UUID id) {
    return exclusions
        .find(id)
        .map(found -> found.orElseThrow(() -> ApiException.notFound("exclusion " + id)));
  }
}
