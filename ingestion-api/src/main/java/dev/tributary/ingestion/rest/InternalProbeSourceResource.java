package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.dto.AccountDtos.ProbeSourceRequest;
import dev.tributary.ingestion.dto.AccountDtos.ProbeSourceView;
import dev.tributary.ingestion.service.ProbeSourceService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The sla-evaluator's probe sources, in the probe workspace (left out of the directory). Service
 * token.
 */
@Path("/internal/v1/probe-sources")
@Tag(name = "Internal")
@SecurityRequirement(name = "SecurityScheme")
public class InternalProbeSourceResource {

  private final ProbeSourceService probes;

  public InternalProbeSourceResource(ProbeSourceService probes) {
    this.probes = probes;
  }

  @PUT
  @Path("{name}")
  @Operation(
      summary =
          "Ensure the probe source {name} with this write key (created, key changed, or as it was)")
  public Uni<ProbeSourceView> ensure(@PathParam("name") String name, ProbeSourceRequest request) {
    return probes.ensure(name, request);
  }
}
