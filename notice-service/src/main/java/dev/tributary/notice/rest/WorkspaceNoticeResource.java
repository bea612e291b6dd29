package dev.tributary.notice.rest;

import dev.tributary.notice.dto.NoticeDtos.DeliveryView;
import dev.tributary.notice.dto.NoticeDtos.WorkspaceNoticeView;
import dev.tributary.notice.service.NoticeQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The notices a workspace was sent. */
@Path("/v1/workspaces")
@Tag(name = "Notices")
@SecurityRequirement(name = "SecurityScheme")
public class WorkspaceNoticeResource {

  private final NoticeQueries notices;

  public WorkspaceNoticeResource(NoticeQueries notices) {
    this.notices = notices;
  }

  @GET
  @Path("{id}/notices")
  @Operation(summary = "The notices whose audience included the workspace, newest first")
  public Uni<List<WorkspaceNoticeView>> notices(@PathParam("id") UUID id) {
    return notices.forWorkspace(id);
  }

  @GET
  @Path("{id}/deliveries")
  @Operation(
      summary =
          "Every delivery to the workspace (every notice, notice and reminder stage) with its"
              + " evidence and attempts, oldest first")
  public Uni<List<DeliveryView>> deliveries(@PathParam("id") UUID id) {
    return notices.deliveriesOfWorkspace(id);
  }
}
