package dev.tributary.ingestion.rest;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.tributary.ingestion.dto.AccountDtos.EventView;
import dev.tributary.ingestion.dto.AccountDtos.SourceView;
import dev.tributary.ingestion.dto.AccountDtos.UpdateAllowedOrigins;
import dev.tributary.ingestion.mapping.AccountMapper;
import dev.tributary.ingestion.repository.EventRepository;
import dev.tributary.ingestion.service.AccountService;
import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** One source: revocation, allowed origins and its stored events. Admin token. */
@Path("/admin/v1/sources/{id}")
@Tag(name = "Accounts")
@SecurityRequirement(name = "SecurityScheme")
public class SourceResource {

  static final int MAX_EVENTS = 5000;
  static final String NDJSON = "application/x-ndjson";

  private final AccountService accounts;
  private final EventRepository events;
  private final AccountMapper mapper;

  public SourceResource(AccountService accounts, EventRepository events, AccountMapper mapper) {
    this.accounts = accounts;
    this.events = events;
    this.mapper = mapper;
  }

  @GET
  @Operation(summary = "Get one source")
  public Uni<SourceView> get(@PathParam("id") UUID id) {
    return accounts.getSource(id);
  }

  @DELETE
  @Operation(summary = "Revoke the source's write key (its events are kept)")
  public Uni<SourceView> revoke(@PathParam("id") UUID id) {
    return accounts.revokeSource(id);
  }

  @PUT
  @Path("allowed-origins")
  @Operation(
      summary =
          "Set the web origins browsers may send from with this key (https://www.example.com,"
              + " https://*.example.com); an empty list allows any")
  public Uni<SourceView> updateAllowedOrigins(
      @PathParam("id") UUID id, @Valid @NotNull UpdateAllowedOrigins request) {
    return accounts.updateAllowedOrigins(id, request.allowedOrigins());
  }

  @GET
  @Path("events")
  @Operation(
      summary = "The source's most recent events, newest first (limit 1 to 5,000, default 100)")
  public Uni<List<EventView>> recent(
      @PathParam("id") UUID id, @QueryParam("limit") @DefaultValue("100") String limitParam) {
    int limit = PageParameters.limit(limitParam, MAX_EVENTS);
    return accounts
        .getSource(id)
        .flatMap(source -> events.recent(id, limit))
        .map(list -> list.stream().map(mapper::toView).toList());
  }

  @GET
  @Path("events/export")
  @Produces(NDJSON)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Every event received in [from, to) as NDJSON, oldest first, one stored event per line")
  public Multi<RawValue> export(
      @PathParam("id") UUID id, @QueryParam("from") String from, @QueryParam("to") String to) {
    Instant start = ApiException.instantParameter("from", from);
    Instant end = ApiException.instantParameter("to", to);
    if (!start.isBefore(end)) {
      throw ApiException.badRequest("invalid_range", "from must be before to");
    }
    return accounts
        .getSource(id)
        .onItem()
        .transformToMulti(source -> events.range(id, start, end))
        // The stored JSON goes out as it is: no parse and re-serialise per event.
        .map(event -> new RawValue(event.payload()));
  }
}
