package dev.tributary.notice.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** ingestion-api's internal API; used only through {@link WorkspaceDirectory}. */
@RegisterRestClient(configKey = "ingestion-api")
@Path("/internal/v1")
interface IngestionApiClient {

  /**
   * At most {@code limit} workspaces, oldest first by (createdAt, id), starting after workspace
   * {@code after} (from the first when null, which leaves the parameter out).
   */
  @GET
  @Path("/workspaces")
  Uni<List<WorkspaceRecord>> workspaces(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
      @QueryParam("limit") int limit,
      @QueryParam("after") UUID after);

  /** One workspace; 404 when there is no such customer workspace. */
  @GET
  @Path("/workspaces/{id}")
  Uni<WorkspaceRecord> workspace(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);
}
