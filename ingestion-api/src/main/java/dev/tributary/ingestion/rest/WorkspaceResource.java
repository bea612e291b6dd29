package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.dto.AccountDtos.CreateSource;
import dev.tributary.ingestion.dto.AccountDtos.CreateWorkspace;
import dev.tributary.ingestion.dto.AccountDtos.CreatedSource;
import dev.tributary.ingestion.dto.AccountDtos.SourceView;
import dev.tributary.ingestion.dto.AccountDtos.UpdateLimits;
import dev.tributary.ingestion.dto.AccountDtos.UpdateRetention;
import dev.tributary.ingestion.dto.AccountDtos.WorkspaceView;
import dev.tributary.ingestion.service.AccountService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Workspaces (customer accounts) and their sources. Admin token. */
@Path("/admin/v1/workspaces")
@Tag(name = "Accounts")
@SecurityRequirement(name = "SecurityScheme")
public class WorkspaceResource {

  private final AccountService accounts;

  public WorkspaceResource(AccountService accounts) {
    this.accounts = accounts;
  }

  @POST
  @Operation(summary = "Create a workspace with its legal-notice contacts, time zone and limits")
  public Uni<RestResponse<WorkspaceView>> create(@Valid @NotNull CreateWorkspace request) {
    return accounts
        .createWorkspace(request)
        .map(
            view ->
                RestResponse.ResponseBuilder.<WorkspaceView>created(
                        URI.create("/admin/v1/workspaces/" + view.id()))
                    .entity(view)
                    .build());
  }

  @GET
  @Operation(summary = "List workspaces, oldest first")
  public Uni<List<WorkspaceView>> list() {
    return accounts.listWorkspaces();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Get one workspace")
  public Uni<WorkspaceView> get(@PathParam("id") UUID id) {
    return accounts.getWorkspace(id);
  }

  @PUT
  @Path("{id}/limits")
  @Operation(
      summary = "Set the workspace's events-per-second rate and burst (null: service default)")
  public Uni<WorkspaceView> updateLimits(
      @PathParam("id") UUID id, @Valid @NotNull UpdateLimits limits) {
    return accounts.updateLimits(id, limits);
  }

  @PUT
  @Path("{id}/retention")
  @Operation(summary = "Set how many days the workspace's events are kept (null: service default)")
  public Uni<WorkspaceView> updateRetention(
      @PathParam("id") UUID id, @NotNull UpdateRetention retention) {
    return accounts.updateRetention(id, retention);
  }

  @POST
  @Path("{id}/sources")
  @Operation(summary = "Create a source; the answer holds its write key, shown this once")
  public Uni<RestResponse<CreatedSource>> createSource(
      @PathParam("id") UUID id, @Valid @NotNull CreateSource request) {
    return accounts
        .createSource(id, request)
        .map(
            source ->
                RestResponse.ResponseBuilder.<CreatedSource>created(
                        URI.create("/admin/v1/sources/" + source.id()))
                    .entity(source)
                    .build());
  }

  @GET
  @Path("{id}/sources")
  @Operation(summary = "List the workspace's sources (keys are never shown again)")
  public Uni<List<SourceView>> listSources(@PathParam("id") UUID id) {
    return accounts.listSources(id);
  }
}
