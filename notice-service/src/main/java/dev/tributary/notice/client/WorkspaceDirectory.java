package dev.tributary.notice.client;

import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The workspaces and their legal-notice contacts, read from ingestion-api. Owns the retries, the
 * circuit breaker and the timeout of those calls, so a slow or failing ingestion-api turns into a
 * quick, clear error instead of hanging notice creation.
 *
 * <p>The directory is read in pages of {@value #PAGE_SIZE}: {@code GET
 * /internal/v1/workspaces?limit=1000&after=<id of the last workspace of the previous page>},
 * ingestion-api answering oldest first by (createdAt, id); the first page that holds fewer than
 * {@code limit} workspaces is the last. Each page is one call with its own timeout and retries.
 */
@ApplicationScoped
public class WorkspaceDirectory {

  /** Workspaces asked for per page. */
  public static final int PAGE_SIZE = 1000;

  private final IngestionApiClient client;
  private final PlatformConfig tokens;

  WorkspaceDirectory(@RestClient IngestionApiClient client, PlatformConfig tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  /**
   * Every workspace, with its contacts, oldest first; fails after the retries if ingestion-api does
   * not answer a page.
   */
  public Uni<List<WorkspaceRecord>> all() {
    return readFrom(null, new LinkedHashMap<>());
  }

  private Uni<List<WorkspaceRecord>> readFrom(UUID after, Map<UUID, WorkspaceRecord> read) {
    // Through the bean's own proxy (Quarkus intercepts self-invocation), so page() keeps its
    // retries, circuit breaker and timeout.
    return page(after)
        .flatMap(
            page -> {
              int before = read.size();
              page.forEach(workspace -> read.putIfAbsent(workspace.id(), workspace));
              // A short page is the last one; a page longer than asked for is an ingestion-api
              // that does not page (yet) answering every workspace at once.
              if (page.size() != PAGE_SIZE) {
                return Uni.createFrom().item(List.copyOf(read.values()));
              }
              if (read.size() == before) {
                // A full page of workspaces already read: the server ignored "after" (and has
                // exactly PAGE_SIZE workspaces). Everything has been read.
                Log.warnf(
                    "ingestion-api answered the page after %s with workspaces already read;"
                        + " taking the %d read as the whole directory",
                    after, read.size());
                return Uni.createFrom().item(List.copyOf(read.values()));
              }
              return readFrom(page.get(page.size() - 1).id(), read);
            });
  }

  /** One page of at most {@value #PAGE_SIZE} workspaces after {@code after} (null: the first). */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
  Uni<List<WorkspaceRecord>> page(UUID after) {
    return client.workspaces(bearer(), PAGE_SIZE, after);
  }

  /** One workspace, or empty when ingestion-api does not know it. */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000)
  public Uni<Optional<WorkspaceRecord>> find(UUID id) {
    return client
        .workspace(bearer(), id)
        .map(Optional::ofNullable)
        .onFailure(WorkspaceDirectory::isNotFound)
        .recoverWithItem(Optional.empty());
  }

  private String bearer() {
    String token = tokens.service().token().orElse("");
    if (token.isEmpty()) {
      Log.warn("tributary.service.token is not set: ingestion-api will refuse the call");
    }
    return "Bearer " + token;
  }

  private static boolean isNotFound(Throwable failure) {
    return failure instanceof WebApplicationException e
        && e.getResponse() != null
        && e.getResponse().getStatus() == 404;
  }

  /**
   * What callers answer once {@link #all()} or {@link #find} has given up: a 503 problem with a
   * stable code, the cause only in the log.
   */
  public static ApiException unavailable(Throwable failure) {
    Log.warnf("cannot read the workspaces from ingestion-api: %s", failure.toString());
    return new ApiException(
        503,
        "ingestion_api_unavailable",
        "the workspaces cannot be read from ingestion-api; retry later");
  }
}
