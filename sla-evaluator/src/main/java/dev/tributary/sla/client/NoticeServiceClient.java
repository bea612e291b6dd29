package dev.tributary.sla.client;

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
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** notice-service's notice API (service token); used through {@link NoticeService}. */
@RegisterRestClient(configKey = "notice-service")
@Path("/v1/notices")
public interface NoticeServiceClient {

  /** Who a notice is for: ALL workspaces or the listed WORKSPACES. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Audience(String type, List<UUID> workspaceIds) {}

  /** The fields of notice-service's CreateNotice this service uses. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CreateNotice(
      String kind,
      Audience audience,
      Instant windowStart,
      Instant windowEnd,
      String description,
      UUID relatedNoticeId,
      String month,
      Map<String, Object> details) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record CreatedNotice(UUID id, String kind, Instant createdAt) {}

  /** One workspace of a notice's audience and when the notice first reached it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Recipient(UUID workspaceId, Instant firstDeliveredAt) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record NoticeView(UUID id, String kind, Instant createdAt, List<Recipient> recipients) {}

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
