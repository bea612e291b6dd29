package dev.tributary.notice.rest;

import dev.tributary.notice.dto.NoticeDtos.CreateNotice;
import dev.tributary.notice.dto.NoticeDtos.CreatedNotice;
import dev.tributary.notice.dto.NoticeDtos.DeliveryView;
import dev.tributary.notice.dto.NoticeDtos.NoticeView;
import dev.tributary.notice.service.NoticeQueries;
import dev.tributary.notice.service.NoticeService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Notices: create (with the agreement's rules) and read back with their delivery evidence. */
@Path("/v1/notices")
@Tag(name = "Notices")
@SecurityRequirement(name = "SecurityScheme")
public class NoticeResource {

  private final NoticeService notices;
  private final NoticeQueries queries;

  public NoticeResource(NoticeService notices, NoticeQueries queries) {
    this.notices = notices;
    this.queries = queries;
  }

  @POST
  @Operation(
      summary =
          "Create a notice for an audience; 201 with the counts and lead-time verdict, 200 when"
              + " the Idempotency-Key repeats an earlier creation")
  public Uni<RestResponse<CreatedNotice>> create(
      @Valid @NotNull CreateNotice request,
      @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
    return notices
        .create(request, idempotencyKey)
        .map(
            result ->
                result.replayed()
                    ? RestResponse.ok(result.notice())
                    : RestResponse.ResponseBuilder.<CreatedNotice>created(
                            URI.create("/v1/notices/" + result.notice().id()))
                        .entity(result.notice())
                        .build());
  }

  @GET
  @Path("{id}")
  @Operation(summary = "A notice with its status and, per workspace, delivery and lead time")
  public Uni<NoticeView> get(@PathParam("id") UUID id) {
    return queries.get(id);
  }

  @GET
  @Path("{id}/deliveries")
  @Operation(summary = "The deliveries of a notice and their evidence")
  public Uni<List<DeliveryView>> deliveries(@PathParam("id") UUID id) {
    return queries.deliveries(id);
  }
}
