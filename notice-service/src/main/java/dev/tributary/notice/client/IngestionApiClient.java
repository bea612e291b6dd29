package dev.tributary.notice.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** ingestion-api's internal API; used only through {@link WorkspaceDirectory}. */
@RegisterRestClient(configKey = "ingestion-api")
@Path("/internal/v1")
interface IngestionApiClient {

  @GET
  @Path("/workspaces")
  Uni<List<WorkspaceRecord>> workspaces(@HeaderParam(HttpHeaders.AUTHORIZATION) String bearer);
}
