package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.repository.RequestStatsRepository;
import dev.tributary.ingestion.repository.RequestStatsRepository.MinuteStats;
import dev.tributary.ingestion.repository.RequestStatsRepository.StatsCursor;
import dev.tributary.support.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
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

/**
 * Per-workspace, per-minute request statistics for the sla-evaluator, in keyset pages. Service
 * token.
 */
@Path("/internal/v1/request-stats")
@Tag(name = "Internal")
@SecurityRequirement(name = "SecurityScheme")
public class RequestStatsResource {

  static final Duration MAX_RANGE = Duration.ofDays(32);
  static final String DEFAULT_PAGE = "10000";
  static final int MAX_PAGE = 100_000;

  private final RequestStatsRepository stats;

  public RequestStatsResource(RequestStatsRepository stats) {
    this.stats = stats;
  }

  @GET
  @Operation(
      summary =
          "A page of the request counts per workspace and UTC minute with from <= minute < to (at"
              + " most 32 days), in (minute, workspaceId) order",
      description =
          "At most limit rows (1 to 100,000, default 10,000) strictly after the row (afterMinute,"
              + " afterWorkspaceId) (both or neither; neither: from the first). Read the next page"
              + " with the last row's minute and workspaceId; a page with fewer than limit rows is"
              + " the last. Counts reach the database within"
              + " tributary.ingestion.stats.flush-interval (default 10 s).")
  public Uni<List<MinuteStats>> range(
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("workspaceId") UUID workspaceId,
      @QueryParam("limit") @DefaultValue(DEFAULT_PAGE) String limit,
      @QueryParam("afterMinute") String afterMinute,
      @QueryParam("afterWorkspaceId") String afterWorkspaceId) {
    Instant start = ApiException.instantParameter("from", from);
    Instant end = ApiException.instantParameter("to", to);
    if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
      throw ApiException.badRequest(
          "invalid_range", "from must be before to, at most 32 days apart");
    }
    int pageSize = PageParameters.limit(limit, MAX_PAGE);
    StatsCursor after = cursor(afterMinute, afterWorkspaceId);
    return stats.range(start, end, workspaceId, after, pageSize);
  }

  /** The row a page starts after; null for the first page. */
  private static StatsCursor cursor(String afterMinute, String afterWorkspaceId) {
    Instant minute = PageParameters.cursorInstant("afterMinute", afterMinute);
    UUID workspace = PageParameters.cursorId("afterWorkspaceId", afterWorkspaceId);
    if ((minute == null) != (workspace == null)) {
      throw PageParameters.invalidCursor("afterMinute and afterWorkspaceId go together");
    }
    return minute == null ? null : new StatsCursor(minute, workspace);
  }
}
