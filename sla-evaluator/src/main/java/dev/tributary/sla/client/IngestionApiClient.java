package dev.tributary.sla.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** ingestion-api's internal API (service token); used through {@link IngestionApi}. */
@RegisterRestClient(configKey = "ingestion-api")
@Path("/internal/v1")
public interface IngestionApiClient {

  /** One row of {@code /internal/v1/request-stats}; latency fields are not needed here. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record MinuteStats(
      UUID workspaceId,
      Instant minute,
      long requests,
      long rejected4xx,
      long throttled429,
      long failed5xx) {}

  record ProbeSourceRequest(String writeKey) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ProbeSource(UUID workspaceId, UUID sourceId, String name) {}

  /** At most {@code limit} workspaces, oldest first, after the workspace {@code after}. */
  @GET
  @Path("/workspaces")
  Uni<List<WorkspaceRecord>> workspaces(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
      @QueryParam("limit") int limit,
      @QueryParam("after") UUID after);

  /** At most {@code limit} rows by (minute, workspace), after the cursor when it is given. */
  @GET
  @Path("/request-stats")
  Uni<List<MinuteStats>> requestStats(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("limit") int limit,
      @QueryParam("afterMinute") String afterMinute,
      @QueryParam("afterWorkspaceId") UUID afterWorkspaceId);

  @PUT
  @Path("/probe-sources/{name}")
  Uni<ProbeSource> ensureProbeSource(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
      @PathParam("name") String name,
      ProbeSourceRequest body);
}
