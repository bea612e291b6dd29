package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.service.EventRow;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoop;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit: events of concurrent requests are written together, in one statement and one
 * transaction per flush, and each request is answered only after the flush that holds its events
 * has committed. While flushes are in flight, new requests queue and the next flush takes them all;
 * so batches grow with load and no timer adds latency when the system is idle.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class EventWriter {

  /** Thrown when the global bound on events waiting for the database is reached. */
  public static final class OverloadedException extends RuntimeException {
    OverloadedException() {
      super("too many events are waiting for the database", null, false, false);
    }
  }

  /**
   * One statement per flush. The events table is partitioned by day and can have no unique key on
   * (source_id, message_id), so the deduplication is {@code event_dedup}'s primary key: the CTE
   * inserts the flush's keys there and only the events whose key it inserted are stored. A
   * concurrent flush with the same key waits on that key's row, as it waited on the events' primary
   * key before, and skips it once the first commits. The keys are unique within the statement
   * ({@link #rowsOf}), in {@link #LOCK_ORDER}.
   */
  static final String INSERT =
      """
      with batch as (
          select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::bytea[])
                   as u(s, m, w, t, r, ts, p)
      ), fresh as (
          insert into ingestion.event_dedup (source_id, message_id, received_at)
          select s, m, r from batch
          on conflict (source_id, message_id) do nothing
          returning source_id, message_id
      )
      insert into ingestion.events (source_id, message_id, workspace_id, type, received_at, "timestamp", payload)
      select b.s, b.m, b.w, b.t, b.r, b.ts, convert_from(b.p, 'UTF8')::json
      from batch b join fresh f on f.source_id = b.s and f.message_id = b.m
      """;

  /** Same-key rows are always locked in this order, so concurrent flushes cannot deadlock. */
  private static final Comparator<EventRow> LOCK_ORDER =
      Comparator.comparing(EventRow::sourceId).thenComparing(EventRow::messageId);

  /**
   * PostgreSQL refused the request's data (e.g. a character it cannot store); retrying will not
   * help.
   */
  public static final class UnstorableEventException extends RuntimeException {
    UnstorableEventException(String sqlState) {
      super("PostgreSQL refused the event data (SQLSTATE " + sqlState + ")", null, false, false);
    }
  }

  /**
   * One caller's rows, the future it waits on, and the event loop it called from (null off the
   * event loops, e.g. in tests): the future completes there.
   */
  private record PendingWrite(
      List<EventRow> rows, CompletableFuture<Void> committed, EventLoop eventLoop) {}

  private final Pool pool;
  private final Vertx vertx;
  private final IngestionConfig.Writer config;
  private final Queue<PendingWrite> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingEvents = new AtomicInteger();
  private final AtomicInteger flushesInFlight = new AtomicInteger();
  private final DistributionSummary batchSize;
  private final Timer commitLatency;
  private final QueueAdmission admission;

  /**
   * @param pool the service's pool; the writer uses its Vert.x API directly (one callback per
   *     flush, no Mutiny operators on the Tracking API's path)
   */
  public EventWriter(
      io.vertx.mutiny.sqlclient.Pool pool,
      Vertx vertx,
      IngestionConfig config,
      MeterRegistry registry) {
    this.pool = pool.getDelegate();
    this.vertx = vertx;
    this.config = config.writer();
    this.admission =
        new QueueAdmission(
            this.config.maxQueueDelay().toNanos(),
            this.config.maxBatchEvents(),
            this.config.maxPendingEvents());
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
    registry.gauge("tributary.ingest.pending.bound", admission, QueueAdmission::bound);
  }

  /**
   * Writes {@code rows}; the future completes once they are committed (rows whose messageId the
   * source already sent are skipped by the database), or fails: with {@link OverloadedException} at
   * once when more events wait for the database than it commits in {@code max-queue-delay} ({@link
   * QueueAdmission}), with a {@link TimeoutException} when the commit is not confirmed within
   * {@code writer.commit-timeout}, or with the database's error. Called on an event loop, the
   * future completes on that event loop. A plain future rather than a Uni: on the Tracking API's
   * path every request waits on one, and a Uni would capture and restore the request's contexts
   * around each of its operators.
   */
  public CompletableFuture<Void> write(List<EventRow> rows) {
    if (pendingEvents.addAndGet(rows.size()) > admission.bound()) {
      pendingEvents.addAndGet(-rows.size());
      return CompletableFuture.failedFuture(new OverloadedException());
    }
    CompletableFuture<Void> committed = new CompletableFuture<>();
    queue.add(new PendingWrite(rows, committed, callersEventLoop()));
    flushWhileCapacity();
    return committed;
  }

  public int pendingEvents() {
    return pendingEvents.get();
  }

  private void flushWhileCapacity() {
    while (!queue.isEmpty()) {
      int inFlight = flushesInFlight.get();
      if (inFlight >= config.maxConcurrentFlushes()) {
        return; // a finishing flush calls this again
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
    List<EventRow> rows = rowsOf(batch);
    // As counted by write(), repeated messageIds included.
    int events = batch.stream().mapToInt(write -> write.rows().size()).sum();
    long started = System.nanoTime();
    insert(rows)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                long committedAt = System.nanoTime();
                commitLatency.record(committedAt - started, TimeUnit.NANOSECONDS);
                batchSize.record(events);
                admission.committed(events, committedAt);
                // The next flush goes out first: answering this one's requests takes the event
                // loop a while, and the database would wait for it.
                release(events);
                complete(batch, null);
                return;
              }
              Throwable failure = result.cause();
              if (batch.size() > 1 && isDataException(failure)) {
                // One request's data broke the statement: give every request its own transaction
                // so the others are stored and only the culprit is refused.
                isolate(batch, 0, events);
                return;
              }
              Log.warnf("group commit of %d events failed: %s", events, failure.toString());
              release(events);
              complete(batch, classify(failure));
            });
  }

  /** Writes the requests of {@code batch} from {@code next} on one after the other, each alone. */
  private void isolate(List<PendingWrite> batch, int next, int events) {
    if (next == batch.size()) {
      release(events);
      return;
    }
    PendingWrite write = batch.get(next);
    insert(rowsOf(List.of(write)))
        .onComplete(
            result -> {
              complete(List.of(write), result.succeeded() ? null : classify(result.cause()));
              isolate(batch, next + 1, events);
            });
  }

  /**
   * Completes each write of {@code batch} (with {@code failure}, unless null) on the event loop it
   * was made from, so that its request is answered there without a hop of its own: one task per
   * event loop for the whole flush, instead of one wake-up of another loop per request.
   */
  private static void complete(List<PendingWrite> batch, Throwable failure) {
    Map<EventLoop, List<PendingWrite>> elsewhere = null;
    for (PendingWrite write : batch) {
      EventLoop loop = write.eventLoop();
      if (loop == null || loop.inEventLoop()) {
        complete(write, failure);
      } else {
        if (elsewhere == null) {
          elsewhere = new IdentityHashMap<>(4);
        }
        elsewhere.computeIfAbsent(loop, l -> new ArrayList<>()).add(write);
      }
    }
    if (elsewhere != null) {
      elsewhere.forEach(
          (loop, writes) -> loop.execute(() -> writes.forEach(write -> complete(write, failure))));
    }
  }

  private static void complete(PendingWrite write, Throwable failure) {
    if (failure == null) {
      write.committed().complete(null);
    } else {
      write.committed().completeExceptionally(failure);
    }
  }

  /** The event loop running the caller, or null when the caller is not on one. */
  private static EventLoop callersEventLoop() {
    return Vertx.currentContext() instanceof ContextInternal context
            && context.isEventLoopContext()
            && context.nettyEventLoop().inEventLoop()
        ? context.nettyEventLoop()
        : null;
  }

  /**
   * One statement, one transaction. One timer per transaction, not per request: if the commit is
   * not confirmed in time every request in it is answered 503 and may retry ({@code event_dedup}
   * drops the duplicates).
   */
  private Future<RowSet<Row>> insert(List<EventRow> rows) {
    Promise<RowSet<Row>> result = Promise.promise();
    long timeoutMillis = config.commitTimeout().toMillis();
    long timer =
        vertx.setTimer(
            timeoutMillis,
            id ->
                result.tryFail(
                    new TimeoutException("no commit confirmed within " + timeoutMillis + " ms")));
    pool.preparedQuery(INSERT)
        .execute(toArrays(rows))
        .onComplete(
            outcome -> {
              vertx.cancelTimer(timer);
              if (outcome.succeeded()) {
                result.tryComplete(outcome.result());
              } else {
                result.tryFail(outcome.cause());
              }
            });
    return result.future();
  }

  private void release(int events) {
    pendingEvents.addAndGet(-events);
    flushesInFlight.decrementAndGet();
    flushWhileCapacity();
  }

  /**
   * The rows of the batch in {@link #LOCK_ORDER}, one per (source, messageId): the first one sent
   * (the sort is stable), as a repeated key in one statement would otherwise be stored twice.
   */
  private static List<EventRow> rowsOf(List<PendingWrite> batch) {
    List<EventRow> rows = new ArrayList<>();
    for (PendingWrite write : batch) {
      rows.addAll(write.rows());
    }
    rows.sort(LOCK_ORDER);
    List<EventRow> unique = new ArrayList<>(rows.size());
    EventRow previous = null;
    for (EventRow row : rows) {
      if (previous == null || LOCK_ORDER.compare(previous, row) != 0) {
        unique.add(row);
      }
      previous = row;
    }
    return unique;
  }

  /** SQLSTATE class 22, "data exception": the rows, not the database, are at fault. */
  private static boolean isDataException(Throwable failure) {
    return failure instanceof PgException pg
        && pg.getSqlState() != null
        && pg.getSqlState().startsWith("22");
  }

  private static Throwable classify(Throwable failure) {
    return isDataException(failure)
        ? new UnstorableEventException(((PgException) failure).getSqlState())
        : failure;
  }

  /** {@code instant.atOffset(UTC)} without the zone rules it builds each time. */
  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.of(
        LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC),
        ZoneOffset.UTC);
  }

  private static Tuple toArrays(List<EventRow> rows) {
    int n = rows.size();
    UUID[] sources = new UUID[n];
    String[] messageIds = new String[n];
    UUID[] workspaces = new UUID[n];
    String[] types = new String[n];
    OffsetDateTime[] receivedAt = new OffsetDateTime[n];
    OffsetDateTime[] timestamps = new OffsetDateTime[n];
    Buffer[] payloads = new Buffer[n];
    for (int i = 0; i < n; i++) {
      EventRow row = rows.get(i);
      sources[i] = row.sourceId();
      messageIds[i] = row.messageId();
      workspaces[i] = row.workspaceId();
      types[i] = row.type();
      receivedAt[i] = utc(row.receivedAt());
      timestamps[i] = utc(row.timestamp());
      payloads[i] = Buffer.buffer(row.payload());
    }
    return Tuple.tuple()
        .addArrayOfUUID(sources)
        .addArrayOfString(messageIds)
        .addArrayOfUUID(workspaces)
        .addArrayOfString(types)
        .addArrayOfOffsetDateTime(receivedAt)
        .addArrayOfOffsetDateTime(timestamps)
        .addArrayOfBuffer(payloads);
  }
}
