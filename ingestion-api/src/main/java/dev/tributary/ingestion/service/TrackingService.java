package dev.tributary.ingestion.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.repository.EventWriter;
import dev.tributary.ingestion.repository.WriteKeyRepository.SourceIdentity;
import dev.tributary.ingestion.service.SegmentEventNormalizer.Envelope;
import dev.tributary.ingestion.service.SegmentEventNormalizer.Result;
import dev.tributary.ingestion.service.TrackingReply.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * One Tracking API call after its body is decoded: authenticate, apply the throughput limits,
 * validate and normalise each event, then answer only once the accepted events are committed.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class TrackingService {

  private final SourceAuthenticator authenticator;
  private final ThroughputLimiter limiter;
  private final SegmentEventNormalizer normalizer;
  private final EventWriter writer;
  private final RequestStatsRecorder stats;
  private final SuppressionWatch suppressions;
  private final IngestionConfig config;
  private final Clock clock;
  private final Counter eventsAccepted;
  private final Counter eventsRejected;
  private final Counter eventsSuppressed;
  private final MeterRegistry registry;
  private final Map<String, Counter> throttles = new ConcurrentHashMap<>();

  public TrackingService(
      SourceAuthenticator authenticator,
      ThroughputLimiter limiter,
      SegmentEventNormalizer normalizer,
      EventWriter writer,
      RequestStatsRecorder stats,
      SuppressionWatch suppressions,
      IngestionConfig config,
      Clock clock,
      MeterRegistry registry) {
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.normalizer = normalizer;
    this.writer = writer;
    this.stats = stats;
    this.suppressions = suppressions;
    this.config = config;
    this.clock = clock;
    this.registry = registry;
    this.eventsAccepted = registry.counter("tributary.ingest.events", "result", "accepted");
    this.eventsRejected = registry.counter("tributary.ingest.events", "result", "rejected");
    this.eventsSuppressed = registry.counter("tributary.ingest.events", "result", "suppressed");
  }

  /**
   * The refusal of a request before its body is decoded and parsed, or null to go on: a source
   * already at its limit of requests in progress, known from the header's write key (an answered
   * cache entry, so no database round trip). Under overload the excess then costs the event loop
   * little more than reading it, instead of a JSON parse that ends in the same 429. Anything this
   * cannot tell (an uncached key, a key in the body) is decided by {@link #handle} as before.
   */
  public TrackingReply refuseBeforeParsing(String headerWriteKey) {
    if (headerWriteKey == null) {
      return null;
    }
    SourceIdentity source = authenticator.known(headerWriteKey);
    if (source == null || !limiter.atInFlightCap(source.sourceId())) {
      return null;
    }
    throttled("in_flight");
    TrackingReply refused = tooManyConcurrentRequests();
    recordStats(source, refused, System.nanoTime());
    return refused;
  }

  private TrackingReply tooManyConcurrentRequests() {
    return TrackingReply.error(
        429,
        "too_many_concurrent_requests",
        "this source has "
            + limiter.maxInFlightPerSource()
            + " requests in progress; retry shortly",
        Map.of("Retry-After", "1"));
  }

  /**
   * The answer to one call, completed once its accepted events are committed (or at once when the
   * call is refused). Plain futures rather than Unis: this path runs for every request, and a Uni
   * would capture and restore the request's contexts around each operator; with the write key
   * cached, nothing here waits but the commit.
   *
   * @param callType identify/track/page/screen/group/alias, or null for batch/import
   * @param body the parsed JSON body
   * @param headerWriteKey the write key from HTTP Basic auth, or null
   * @param origin the browser's {@code Origin} header, or null
   * @param bodyBytes size of the decoded body, to skip per-event size checks on small bodies
   */
  public CompletableFuture<TrackingReply> handle(
      String callType, JsonNode body, String headerWriteKey, String origin, int bodyBytes) {
    long started = System.nanoTime();
    if (!(body instanceof ObjectNode request)) {
      return answered(TrackingReply.error(400, "invalid_body", "the body must be a JSON object"));
    }
    String writeKey = headerWriteKey != null ? headerWriteKey : text(request.get("writeKey"));
    if (writeKey == null || writeKey.isEmpty()) {
      return answered(
          TrackingReply.error(
              401,
              "missing_write_key",
              "send the source's write key as the HTTP Basic username or as writeKey"));
    }
    return authenticator
        .authenticate(writeKey)
        .thenCompose(
            source -> {
              if (source == null) {
                return answered(
                    TrackingReply.error(
                        401, "invalid_write_key", "the write key is unknown or revoked"));
              }
              if (source.suspended()) {
                TrackingReply refused = TrackingReply.workspaceSuspended();
                recordStats(source, refused, started);
                return answered(refused);
              }
              if (!source.allowedOrigins().allows(origin)) {
                TrackingReply refused = TrackingReply.originNotAllowed(origin);
                recordStats(source, refused, started);
                return answered(refused);
              }
              return handleAuthenticated(callType, request, source, bodyBytes)
                  .thenApply(
                      reply -> {
                        recordStats(source, reply, started);
                        return reply;
                      });
            })
        .exceptionally(this::storageFailure);
  }

  private CompletableFuture<TrackingReply> handleAuthenticated(
      String callType, ObjectNode request, SourceIdentity source, int bodyBytes) {
    List<JsonNode> events;
    if (callType != null) {
      events = List.of(request);
    } else {
      JsonNode batch = request.get("batch");
      if (!(batch instanceof ArrayNode array)) {
        return answered(
            TrackingReply.error(400, "batch_not_array", "batch must be an array of events"));
      }
      if (array.isEmpty()) {
        return answered(TrackingReply.error(400, "batch_empty", "batch has no events"));
      }
      if (array.size() > config.limits().maxBatchEvents()) {
        return answered(
            TrackingReply.error(
                400,
                "batch_too_large",
                "a batch may hold at most "
                    + config.limits().maxBatchEvents()
                    + " events; split it"));
      }
      events = new ArrayList<>(array.size());
      array.forEach(events::add);
    }
    if (!limiter.tryEnter(source.sourceId())) {
      throttled("in_flight");
      return answered(tooManyConcurrentRequests());
    }
    ThroughputLimiter.Decision decision =
        limiter.tryAcquire(
            source.workspaceId(), source.eventsPerSecond(), source.burst(), events.size());
    if (!decision.allowed()) {
      limiter.leave(source.sourceId());
      throttled("rate");
      return answered(
          TrackingReply.error(
              429,
              "rate_limited",
              "the workspace is over its limit of " + decision.limit() + " events per second",
              Map.of(
                  "Retry-After", Long.toString(decision.retryAfterSeconds()),
                  "X-RateLimit-Limit", Long.toString(decision.limit()),
                  "X-RateLimit-Remaining", Long.toString(decision.remaining()),
                  "X-RateLimit-Reset", Long.toString(decision.resetSeconds()))));
    }
    CompletableFuture<TrackingReply> stored;
    try {
      stored = store(callType, request, events, source, bodyBytes);
    } catch (RuntimeException e) {
      limiter.leave(source.sourceId());
      throw e;
    }
    return stored.whenComplete((reply, failure) -> limiter.leave(source.sourceId()));
  }

  private CompletableFuture<TrackingReply> store(
      String callType,
      ObjectNode request,
      List<JsonNode> events,
      SourceIdentity source,
      int bodyBytes) {
    // Milliseconds, as Segment's timestamps; the stored columns then equal the JSON exactly.
    Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    boolean batch = callType == null;
    Envelope envelope =
        new Envelope(
            source.sourceId(),
            source.workspaceId(),
            receivedAt,
            batch ? request.get("sentAt") : null,
            batch ? request.get("context") : null,
            batch ? request.get("integrations") : null,
            bodyBytes > config.limits().maxEventBytes());
    List<EventRow> rows = new ArrayList<>(events.size());
    List<Rejection> rejected = new ArrayList<>();
    int suppressed = 0;
    for (int i = 0; i < events.size(); i++) {
      Result result = normalizer.normalize(events.get(i), callType, envelope);
      if (result.isAccepted()) {
        // A suppressed subject's event is acknowledged like a stored one (so the library does not
        // retry it) and dropped; the set is in memory, no database round trip.
        if (suppressions.isSuppressed(source.workspaceId(), events.get(i))) {
          suppressed++;
        } else {
          rows.add(result.row());
        }
      } else if (!batch) {
        eventsRejected.increment();
        return answered(TrackingReply.discarded(result.reason()));
      } else {
        rejected.add(
            new Rejection(
                i, result.messageId(), result.reason().code(), result.reason().message()));
      }
    }
    eventsRejected.increment(rejected.size());
    eventsSuppressed.increment(suppressed);
    int suppressedEvents = suppressed;
    if (rows.isEmpty()) {
      return answered(
          suppressed > 0
              ? TrackingReply.ok(0, rejected).withSuppressed(suppressed)
              : TrackingReply.noValidEvents(rejected));
    }
    return writer
        .write(rows)
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                return storageFailure(failure);
              }
              eventsAccepted.increment(rows.size());
              return TrackingReply.ok(rows.size(), rejected).withSuppressed(suppressedEvents);
            });
  }

  private static CompletableFuture<TrackingReply> answered(TrackingReply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  private TrackingReply storageFailure(Throwable failure) {
    if (failure instanceof CompletionException wrapped && wrapped.getCause() != null) {
      failure = wrapped.getCause();
    }
    if (failure instanceof EventWriter.UnstorableEventException) {
      return TrackingReply.error(
          400, "unstorable_event", "PostgreSQL cannot store this request's data");
    }
    if (failure instanceof EventWriter.OverloadedException) {
      throttled("overloaded");
      return TrackingReply.error(
          429,
          "overloaded",
          "the service has too much work waiting for the database; retry shortly",
          Map.of("Retry-After", "1"));
    }
    String message =
        failure instanceof TimeoutException
            ? "the database did not confirm the write in time; retry (duplicates are dropped by messageId)"
            : "the database is unavailable; retry (duplicates are dropped by messageId)";
    return TrackingReply.databaseUnavailable(
        message, config.writer().unavailableRetryAfterSeconds());
  }

  private void recordStats(SourceIdentity source, TrackingReply reply, long startedNanos) {
    double latencyMs = (System.nanoTime() - startedNanos) / 1e6;
    stats.record(
        source.workspaceId(),
        reply.outcome(),
        reply.eventsAccepted(),
        reply.eventsRejected(),
        reply.eventsSuppressed(),
        latencyMs);
  }

  private void throttled(String reason) {
    throttles
        .computeIfAbsent(reason, r -> registry.counter("tributary.ingest.throttled", "reason", r))
        .increment();
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
