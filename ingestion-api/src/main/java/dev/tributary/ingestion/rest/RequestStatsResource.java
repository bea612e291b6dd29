package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.repository.RequestStatsRepository;
import dev.tributary.ingestion.repository.RequestStatsRepository.MinuteStats;
import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Per-workspace, per-minute request statistics for the sla-evaluator. Service token. */
@Path("/internal/v1/request-stats")
@Tag(name = "Internal")
@SecurityRequirement(name = "SecurityScheme")
public class RequestStatsResource {

  static final Duration MAX_RANGE = Duration.ofDays(32);
  static final int MAX_ROWS = 100_000;

  private final RequestStatsRepository stats;

  public RequestStatsResource(RequestStatsRepository stats) {
    this.stats = stats;
  }

  @GET
  @Operation(
      summary =
          "Request counts per workspace and UTC minute with from <= minute < to (at most 32 days)",
      description =
          "Counts reach the database within tributary.ingestion.stats.flush-interval (default 1 s).")
  public Uni<List<MinuteStats>> range(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("workspaceId") UUID workspaceId) {
    Instant start = ApiException.instantParameter("from", from);
    Instant end = ApiException.instantParameter("to", to);
    if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
      throw ApiException.badRequest(
          "invalid_range", "from must be before to, at most 32 days apart");
    }
    return stats.range(start, end, workspaceId, MAX_ROWS);
  }
}
