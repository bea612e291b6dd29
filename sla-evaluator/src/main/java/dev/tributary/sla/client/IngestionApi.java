package dev.tributary.sla.client;

import dev.tributary.sla.client.IngestionApiClient.MinuteStats;
import dev.tributary.sla.client.IngestionApiClient.ProbeSource;
import dev.tributary.sla.client.IngestionApiClient.ProbeSourceRequest;
import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What the evaluator reads from ingestion-api: the workspace directory (their contract time zones),
 * the per-minute request statistics and the probe source. Owns the retries and timeouts of those
 * calls ({@link WorkspaceDirectory} caches the directory).
 */
@Timeout(value = 20, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 2, delay = 300, jitter = 200)
@ApplicationScoped
public class IngestionApi {

  private final IngestionApiClient client;
  private final PlatformConfig tokens;

  IngestionApi(@RestClient IngestionApiClient client, PlatformConfig tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /** Workspaces are read this many at a time. */
  public static final int WORKSPACE_PAGE = 1_000;

  /** Request statistics are read this many rows at a time. */
  public static final int STATS_PAGE = 10_000;

  /**
   * One page of the customer workspaces (ingestion-api does not list probe workspaces), oldest
   * first, after the workspace {@code after} (null: from the first); a page shorter than {@link
   * #WORKSPACE_PAGE} is the last.
   */
  public Uni<List<WorkspaceRecord>> workspaces(UUID after) {
    return client.workspaces(bearer(), WORKSPACE_PAGE, after);
  }

  /**
   * One page of the request statistics of every workspace with {@code from <= minute < to} (at most
   * 32 days), by minute and workspace, after {@code last} (null: from the first); a page shorter
   * than {@link #STATS_PAGE} is the last.
   */
  public Uni<List<MinuteStats>> requestStats(Instant from, Instant to, MinuteStats last) {
    return client.requestStats(
        bearer(),
        from.toString(),
        to.toString(),
        STATS_PAGE,
        last == null ? null : last.minute().toString(),
        last == null ? null : last.workspaceId());
  }

  /** Makes sure the probe source {@code name} exists and accepts {@code writeKey}. */
  public Uni<ProbeSource> ensureProbeSource(String name, String writeKey) {
    return client.ensureProbeSource(bearer(), name, new ProbeSourceRequest(writeKey));
  }

  private String bearer() {
    String token = tokens.service().token().orElse("");
    if (token.isEmpty()) {
      Log.warn("tributary.service.token is not set: ingestion-api will refuse the call");
    }
    return "Bearer " + token;
  }

  /** What an API answers once ingestion-api could not be read: 503 with a stable code. */
  public static ApiException unavailable(Throwable failure) {
    Log.warnf("cannot read from ingestion-api: %s", failure.toString());
    return new ApiException(
        503, "ingestion_api_unavailable", "ingestion-api cannot be read; retry later");
  }
}
