package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.dto.AccountDtos.WorkspaceView;
import dev.tributary.ingestion.service.AccountService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The accounts as the other services read them (notice-service's recipients, sla-evaluator's
 * contract time zones), with the service token rather than the operators' admin token. The probe
 * workspace (the sla-evaluator's probe sources) is not part of it: no notices, no SLA reports. The
 * list is read in keyset pages, so its cost per call stays bounded however many workspaces exist.
 */
@Path("/internal/v1/workspaces")
@Tag(name = "Internal")
@SecurityRequirement(name = "SecurityScheme")
public class InternalWorkspaceResource {

  static final String DEFAULT_PAGE = "1000";
  static final int MAX_PAGE = 5000;

  private final AccountService accounts;

  public InternalWorkspaceResource(AccountService accounts) {
    this.accounts = accounts;
  }

  @GET
  @Operation(
      summary =
          "A page of the customer workspaces with their legal-notice contacts and time zone,"
              + " oldest first by (createdAt, id)",
      description =
          "At most limit workspaces (1 to 5,000, default 1,000) after the workspace whose id is"
              + " after (absent: from the first). Read the next page with after = the last id of"
              + " this one; a page with fewer than limit workspaces is the last.")
  public Uni<List<WorkspaceView>> list(
      @QueryParam("limit") @DefaultValue(DEFAULT_PAGE) String limit,
      @QueryParam("after") String after) {
    return accounts.listCustomerWorkspaces(
        PageParameters.cursorId("after", after), PageParameters.limit(limit, MAX_PAGE));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One customer workspace with its legal-notice contacts and time zone")
  public Uni<WorkspaceView> get(@PathParam("id") UUID id) {
    return accounts.getCustomerWorkspace(id);
  }
}
