package dev.tributary.sla.rest;

import dev.tributary.sla.config.SlaConfig;
import dev.tributary.sla.mapping.Statuspage;
import dev.tributary.sla.service.StatusService;
import dev.tributary.sla.service.StatusService.Board;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import java.util.function.BiFunction;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The platform's status in Atlassian Statuspage's public API v2 shape (issue 13): the same paths
 * and fields, so a Statuspage client reads Tributary by changing its base URL. Public: no token.
 */
@Path("/api/v2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status page")
public class StatuspageApiResource {

  private static final Set<String> UPCOMING = Set.of("scheduled");
  private static final Set<String> ACTIVE = Set.of("in_progress", "verifying");
  private static final Set<String> ANY =
      Set.of("scheduled", "in_progress", "verifying", "completed");

  private final StatusService status;
  private final SlaConfig config;

  public StatuspageApiResource(StatusService status, SlaConfig config) {
    this.status = status;
    this.config = config;
  }

  private <T> Uni<T> answer(UriInfo uri, BiFunction<Board, String, T> body) {
    String url = StatusPageResource.pageUrl(config, uri);
    return status.platform().map(board -> body.apply(board, url));
  }

  private Statuspage.Page page(Board board, String url) {
    return Statuspage.page(board, config.status().pageName(), url);
  }

  @GET
  @Path("/summary.json")
  @Operation(
      summary =
          "Statuspage v2 summary: status, components, unresolved incidents, upcoming and active maintenance")
  public Uni<Statuspage.Summary> summary(@Context UriInfo uri) {
    return answer(
        uri,
        (b, url) ->
            new Statuspage.Summary(
                page(b, url),
                Statuspage.components(b),
                Statuspage.unresolved(b, url),
                Statuspage.maintenances(b, url, Set.of("scheduled", "in_progress", "verifying")),
                Statuspage.status(b)));
  }

  @GET
  @Path("/status.json")
  @Operation(summary = "Statuspage v2 status: indicator and description")
  public Uni<Statuspage.StatusAnswer> status(@Context UriInfo uri) {
    return answer(uri, (b, url) -> new Statuspage.StatusAnswer(page(b, url), Statuspage.status(b)));
  }

  @GET
  @Path("/components.json")
  @Operation(summary = "Statuspage v2 components: the six endpoints")
  public Uni<Statuspage.Components> components(@Context UriInfo uri) {
    return answer(
        uri, (b, url) -> new Statuspage.Components(page(b, url), Statuspage.components(b)));
  }

  @GET
  @Path("/incidents.json")
  @Operation(summary = "Statuspage v2 incidents: the last 90 days' (at most 50), newest first")
  public Uni<Statuspage.Incidents> incidents(@Context UriInfo uri) {
    return answer(
        uri, (b, url) -> new Statuspage.Incidents(page(b, url), Statuspage.incidents(b, url)));
  }

  @GET
  @Path("/incidents/unresolved.json")
  @Operation(summary = "Statuspage v2 unresolved incidents")
  public Uni<Statuspage.Incidents> unresolved(@Context UriInfo uri) {
    return answer(
        uri, (b, url) -> new Statuspage.Incidents(page(b, url), Statuspage.unresolved(b, url)));
  }

  @GET
  @Path("/scheduled-maintenances.json")
  @Operation(summary = "Statuspage v2 scheduled maintenances (any state)")
  public Uni<Statuspage.Maintenances> maintenances(@Context UriInfo uri) {
    return answer(
        uri,
        (b, url) ->
            new Statuspage.Maintenances(page(b, url), Statuspage.maintenances(b, url, ANY)));
  }

  @GET
  @Path("/scheduled-maintenances/upcoming.json")
  @Operation(summary = "Statuspage v2 upcoming scheduled maintenances")
  public Uni<Statuspage.Maintenances> upcoming(@Context UriInfo uri) {
    return answer(
        uri,
        (b, url) ->
            new Statuspage.Maintenances(page(b, url), Statuspage.maintenances(b, url, UPCOMING)));
  }

  @GET
  @Path("/scheduled-maintenances/active.json")
  @Operation(summary = "Statuspage v2 active (in progress) scheduled maintenances")
  public Uni<Statuspage.Maintenances> active(@Context UriInfo uri) {
    return answer(
        uri,
        (b, url) ->
            new Statuspage.Maintenances(page(b, url), Statuspage.maintenances(b, url, ACTIVE)));
  }
}
