package dev.tributary.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The suppressed subjects, in memory on every replica, so the Tracking API checks an event without
 * a database round trip: a map lookup per event, and the keyed hash only for the (few) workspaces
 * that suppress someone. Loaded at startup and, every {@code tributary.regulations.poll}, reloaded
 * when the one-row {@code suppression_version} says the set changed (this replica's own changes
 * apply at once, {@link #refresh}); so a suppression decided anywhere applies everywhere within
 * that time, and survives restarts because the database is its home.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class SuppressionWatch {

  private static final Duration STARTUP_LOAD_TIMEOUT = Duration.ofSeconds(10);

  private final Pool pool;
  private final SubjectHasher hasher;
  private volatile Loaded loaded = new Loaded(-1, Map.of());

  private record Loaded(long version, Map<UUID, Set<ByteBuffer>> byWorkspace) {}

  public SuppressionWatch(Pool pool, SubjectHasher hasher, MeterRegistry registry) {
    this.pool = pool;
    this.hasher = hasher;
    registry.gauge("tributary.regulations.suppressed.subjects", this, SuppressionWatch::size);
  }

  /** Whether the event's userId or anonymousId is suppressed in the workspace. */
  public boolean isSuppressed(UUID workspaceId, JsonNode event) {
    Set<ByteBuffer> hashes = loaded.byWorkspace().get(workspaceId);
    if (hashes == null || !hasher.configured()) {
      return false;
    }
    for (SubjectType type : SubjectType.values()) {
      JsonNode id = event.get(type.field());
      if (id != null
          && id.isTextual()
          && hashes.contains(ByteBuffer.wrap(hasher.hash(type, id.asText())))) {
        return true;
      }
    }
    return false;
  }

  /** How many subjects this replica suppresses, all workspaces together. */
  public int size() {
    return loaded.byWorkspace().values().stream().mapToInt(Set::size).sum();
  }

  void onStart(@Observes StartupEvent event) {
    try {
      refresh().await().atMost(STARTUP_LOAD_TIMEOUT);
    } catch (RuntimeException e) {
      Log.warnf("suppressed subjects not loaded at startup (%s); the watch retries", e.toString());
    }
  }

  @Scheduled(
      every = "${tributary.regulations.poll:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> poll() {
    return refresh()
        .onFailure()
        .invoke(e -> Log.debugf("cannot read the suppressed subjects: %s", e.toString()))
        .onFailure()
        .recoverWithNull();
  }

  /** Reloads the set if the database's version differs from the loaded one. */
  public Uni<Void> refresh() {
    return pool.query("select version from ingestion.suppression_version")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .flatMap(
            version -> version == loaded.version() ? Uni.createFrom().voidItem() : load(version));
  }

  private Uni<Void> load(long version) {
    return pool.query("select workspace_id, subject_hash from ingestion.suppressed_subjects")
        .execute()
        .invoke(
            rows -> {
              Map<UUID, Set<ByteBuffer>> byWorkspace = new HashMap<>();
              for (Row row : rows) {
                byWorkspace
                    .computeIfAbsent(row.getUUID(0), w -> new HashSet<>())
                    .add(ByteBuffer.wrap(row.getBuffer(1).getBytes()));
              }
              loaded = new Loaded(version, Map.copyOf(byWorkspace));
            })
        .replaceWithVoid();
  }
}
