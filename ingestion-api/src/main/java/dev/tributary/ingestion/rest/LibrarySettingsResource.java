package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.service.LibrarySettingsService;
import dev.tributary.ingestion.service.LibrarySettingsService.PublicEndpoint;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Segment's settings CDN, for the libraries that fetch their settings at start: analytics-next
 * ({@code cdnURL}), Kotlin, Swift and C# ({@code cdnHost}), React Native ({@code cdnProxy}). Public
 * like Segment's: a write key identifies a source and is no secret of the site that embeds it.
 */
@Path("/v1/projects/{writeKey}/settings")
@Tag(name = "Tracking API")
public class LibrarySettingsResource {

  private final LibrarySettingsService settings;
  private final TrackingAnswers answers;

  public LibrarySettingsResource(LibrarySettingsService settings, TrackingAnswers answers) {
    this.settings = settings;
    this.answers = answers;
  }

  @GET
  // No @Produces: JSON whatever the client accepts (TrackingAnswers sets the type).
  @Operation(
      summary =
          "What the browser and mobile libraries read at start: the Segment.io integration with"
              + " this deployment's apiHost (404 for an unknown or revoked key)")
  public Uni<Response> get(
      @PathParam("writeKey") String writeKey,
      @HeaderParam("Origin") String origin,
      @Context UriInfo uri) {
    PublicEndpoint requested = PublicEndpoint.of(uri.getBaseUri());
    return settings
        .settings(writeKey, origin, requested)
        .map(reply -> answers.respond("settings", reply));
  }
}
