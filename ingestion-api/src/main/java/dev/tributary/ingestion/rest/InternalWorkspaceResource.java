package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.dto.AccountDtos.WorkspaceView;
import dev.tributary.ingestion.service.AccountService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The accounts as the other services read them (notice-service's recipients, sla-evaluator's
 * contract time zones), with the service token rather than the operators' admin token. The probe
 * workspace (the sla-evaluator's probe sources) is not part of it: no notices, no SLA reports.
 */
@Path("/internal/v1/workspaces")
@Tag(name = "Internal")
@SecurityRequirement(name = "SecurityScheme")
public class InternalWorkspaceResource {

  private final AccountService accounts;

  public InternalWorkspaceResource(AccountService accounts) {
    this.accounts = accounts;
  }

  @GET
  @Operation(
      summary =
          "Every customer workspace with its legal-notice contacts and time zone, oldest first")
  public Uni<List<WorkspaceView>> list() {
    return accounts.listCustomerWorkspaces();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "One customer workspace with its legal-notice contacts and time zone")
  public Uni<WorkspaceView> get(@PathParam("id") UUID id) {
    return accounts.getCustomerWorkspace(id);
  }
}
