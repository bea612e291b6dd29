package dev.tributary.notice.client;

import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The workspaces and their legal-notice contacts, read from ingestion-api. Owns the retries, the
 * circuit breaker and the timeout of that call, so a slow or failing ingestion-api turns into a
 * quick, clear error instead of hanging notice creation.
 */
@ApplicationScoped
public class WorkspaceDirectory {

  private final IngestionApiClient client;
  private final PlatformConfig tokens;

  WorkspaceDirectory(@RestClient IngestionApiClient client, PlatformConfig tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /**
   * Every workspace, with its contacts; fails after the retries if ingestion-api does not answer.
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
  public Uni<List<WorkspaceRecord>> all() {
    String token = tokens.service().token().orElse("");
    if (token.isEmpty()) {
      Log.warn("tributary.service.token is not set: ingestion-api will refuse the call");
    }
    return client.workspaces("Bearer " + token);
  }

  /**
   * What callers answer once {@link #all()} has given up: a 503 problem with a stable code, the
   * cause only in the log.
   */
  public static ApiException unavailable(Throwable failure) {
    Log.warnf("cannot read the workspaces from ingestion-api: %s", failure.toString());
    return new ApiException(
        503,
        "ingestion_api_unavailable",
        "the workspaces cannot be read from ingestion-api; retry later");
  }
}
