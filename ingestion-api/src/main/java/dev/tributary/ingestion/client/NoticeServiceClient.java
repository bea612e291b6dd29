package dev.tributary.ingestion.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** notice-service's notice API (service token); used through {@link Notices}. */
@RegisterRestClient(configKey = "notice-service")
@Path("/v1/notices")
interface NoticeServiceClient {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Audience(String type, List<UUID> workspaceIds) {}

  /** The fields of notice-service's CreateNotice this service uses. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CreateNotice(String kind, Audience audience, String description) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record CreatedNotice(UUID id, String kind, Instant createdAt, int deliveries) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record StatusCounts(int pending, int sending, int sent, int failed) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record NoticeView(UUID id, String kind, StatusCounts deliveries) {}

  @POST
  Uni<CreatedNotice> create(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer,
      @HeaderParam("Idempotency-Key") String idempotencyKey,
      CreateNotice notice);

  @GET
  @Path("/{id}")
  Uni<NoticeView> get(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String bearer, @PathParam("id") UUID id);
}
