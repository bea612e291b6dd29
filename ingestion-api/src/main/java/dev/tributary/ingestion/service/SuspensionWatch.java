package dev.tributary.ingestion.service;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Carries suspensions, liftings and closures decided on another replica to this one's write-key
 * cache: every {@code tributary.lifecycle.state-poll} it reads the (few) workspaces that are
 * suspended or closed, one small indexed query, and forgets the cached keys when the set changed.
 * The Tracking API itself never reads the database for this; a cached key carries its workspace's
 * state.
 */
@ApplicationScoped
public class SuspensionWatch {

  private static final String BLOCKED =
      "select id from ingestion.workspaces where suspended_at is not null or closed_at is not null";

  private final Pool pool;
  private final SourceAuthenticator authenticator;
  private volatile Set<UUID> blocked;

  public SuspensionWatch(Pool pool, SourceAuthenticator authenticator) {
    this.pool = pool;
    this.authenticator = authenticator;
  }

  @Scheduled(
      every = "${tributary.lifecycle.state-poll:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> poll() {
    return pool.query(BLOCKED)
        .execute()
        .invoke(
            rows -> {
              Set<UUID> now = new HashSet<>();
              for (Row row : rows) {
                now.add(row.getUUID(0));
              }
              Set<UUID> before = blocked;
              blocked = now;
              if (before != null && !before.equals(now)) {
                authenticator.invalidateAll();
              }
            })
        .replaceWithVoid()
        .onFailure()
        .invoke(e -> Log.debugf("cannot read the suspended workspaces: %s", e.toString()))
        .onFailure()
        .recoverWithNull();
  }
}
