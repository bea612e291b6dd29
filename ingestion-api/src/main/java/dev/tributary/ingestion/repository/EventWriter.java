package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.service.EventRow;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit: events of concurrent requests are written together, in one statement and one
 * transaction per flush, and each request is answered only after the flush that holds its events
 * has committed. While flushes are in flight, new requests queue and the next flush takes them
 * all; so batches grow with load and no timer adds latency when the system is idle.
 */
@ApplicationScoped
public class EventWriter {

  /** Thrown when the global bound on events waiting for the database is reached. */
  public static final class OverloadedException extends RuntimeException {
    OverloadedException() {
      super("too many events are waiting for the database", null, false, false);
    }
  }

  static final String INSERT =
      """
      insert into ingestion.events (source_id, message_id, workspace_id, type, received_at, "timestamp", payload)
      select s, m, w, t, r, ts, p::jsonb
      from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[])
           as u(s, m, w, t, r, ts, p)
      on conflict (source_id, message_id) do nothing
      """;

  /** Same-key rows are always locked in this order, so concurrent flushes cannot deadlock. */
  private static final Comparator<EventRow> LOCK_ORDER =
      Comparator.comparing(EventRow::sourceId).thenComparing(EventRow::messageId);

  private record PendingWrite(List<EventRow> rows, CompletableFuture<Void> committed) {}

  private final Pool pool;
  private final IngestionConfig.Writer config;
  private final Queue<PendingWrite> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingEvents = new AtomicInteger();
  private final AtomicInteger flushesInFlight = new AtomicInteger();
  private final DistributionSummary batchSize;
  private final Timer commitLatency;

  public EventWriter(Pool pool, IngestionConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.config = config.writer();
    this.batchSize =
        DistributionSummary.builder("tributary.ingest.commit.batch.size")
            .description("Events per group-commit transaction")
            .publishPercentileHistogram()
            .register(registry);
    this.commitLatency =
        Timer.builder("tributary.ingest.commit.latency")
            .description("Time to write and commit one group-commit transaction")
            .publishPercentileHistogram()
            .register(registry);
    registry.gauge("tributary.ingest.pending.events", pendingEvents);
  }

  /**
   * Writes {@code rows}; the Uni completes once they are committed (rows whose messageId the source
   * already sent are skipped by the database), or fails: with {@link OverloadedException} at once,
   * with a {@link io.smallrye.mutiny.TimeoutException} when the commit is not confirmed within
   * {@code writer.commit-timeout}, or with the database's error.
   */
  public Uni<Void> write(List<EventRow> rows) {
    if (pendingEvents.addAndGet(rows.size()) > config.maxPendingEvents()) {
      pendingEvents.addAndGet(-rows.size());
      return Uni.createFrom().failure(new OverloadedException());
    }
    CompletableFuture<Void> committed = new CompletableFuture<>();
    queue.add(new PendingWrite(rows, committed));
    flushWhileCapacity();
    return Uni.createFrom().completionStage(committed);
  }

  public int pendingEvents() {
    return pendingEvents.get();
  }

  private void flushWhileCapacity() {
    while (!queue.isEmpty()) {
      int inFlight = flushesInFlight.get();
      if (inFlight >= config.maxConcurrentFlushes()) {
        return; // a finishing flush calls us again
      }
      if (!flushesInFlight.compareAndSet(inFlight, inFlight + 1)) {
        continue;
      }
      List<PendingWrite> batch = drain();
      if (batch.isEmpty()) {
        flushesInFlight.decrementAndGet();
        continue;
      }
      flush(batch);
    }
  }

  private List<PendingWrite> drain() {
    List<PendingWrite> batch = new ArrayList<>();
    int events = 0;
    PendingWrite next;
    while (events < config.maxBatchEvents() && (next = queue.poll()) != null) {
      batch.add(next);
      events += next.rows().size();
    }
    return batch;
  }

  private void flush(List<PendingWrite> batch) {
    List<EventRow> rows = new ArrayList<>();
    for (PendingWrite write : batch) {
      rows.addAll(write.rows());
    }
    rows.sort(LOCK_ORDER);
    long started = System.nanoTime();
    // One timer per transaction, not per request: if the commit is not confirmed in time every
    // request of the batch is answered 503 and may retry (the primary key drops the duplicates).
    pool.preparedQuery(INSERT)
        .execute(toArrays(rows))
        .ifNoItem()
        .after(config.commitTimeout())
        .fail()
        .subscribe()
        .with(
            result -> {
              commitLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              batchSize.record(rows.size());
              finish(batch, rows.size(), null);
            },
            failure -> {
              Log.warnf("group commit of %d events failed: %s", rows.size(), failure.toString());
              finish(batch, rows.size(), failure);
            });
  }

  private void finish(List<PendingWrite> batch, int events, Throwable failure) {
    pendingEvents.addAndGet(-events);
    flushesInFlight.decrementAndGet();
    // Start the next flush before waking the requests: their responses can wait, the database should not.
    flushWhileCapacity();
    for (PendingWrite write : batch) {
      if (failure == null) {
        write.committed().complete(null);
      } else {
        write.committed().completeExceptionally(failure);
      }
    }
  }

  private static Tuple toArrays(List<EventRow> rows) {
    int n = rows.size();
    UUID[] sources = new UUID[n];
    String[] messageIds = new String[n];
    UUID[] workspaces = new UUID[n];
    String[] types = new String[n];
    OffsetDateTime[] receivedAt = new OffsetDateTime[n];
    OffsetDateTime[] timestamps = new OffsetDateTime[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      EventRow row = rows.get(i);
      sources[i] = row.sourceId();
      messageIds[i] = row.messageId();
      workspaces[i] = row.workspaceId();
      types[i] = row.type();
      receivedAt[i] = row.receivedAt().atOffset(ZoneOffset.UTC);
      timestamps[i] = row.timestamp().atOffset(ZoneOffset.UTC);
      payloads[i] = row.payload();
    }
    return Tuple.tuple()
        .addArrayOfUUID(sources)
        .addArrayOfString(messageIds)
        .addArrayOfUUID(workspaces)
        .addArrayOfString(types)
        .addArrayOfOffsetDateTime(receivedAt)
        .addArrayOfOffsetDateTime(timestamps)
        .addArrayOfString(payloads);
  }
}
