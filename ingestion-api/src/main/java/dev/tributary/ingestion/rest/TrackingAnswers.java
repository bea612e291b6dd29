package dev.tributary.ingestion.rest;

import dev.tributary.ingestion.service.TrackingReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link TrackingReply} into the HTTP answer and counts it in {@code
 * tributary_ingest_requests_total{endpoint,status}}.
 */
@ApplicationScoped
class TrackingAnswers {

  /** Segment's success body, the answer to nearly every request: written as constant bytes. */
  static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

  private final MeterRegistry registry;

  /** Counters by "endpoint status": looked up per request without building tags. */
  private final Map<String, Counter> requestCounters = new ConcurrentHashMap<>();

  TrackingAnswers(MeterRegistry registry) {
    this.registry = registry;
  }

  Response respond(String endpoint, TrackingReply reply) {
    requestCounters
        .computeIfAbsent(
            endpoint + ' ' + reply.status(),
            key ->
                registry.counter(
                    "tributary.ingest.requests",
                    "endpoint",
                    endpoint,
                    "status",
                    Integer.toString(reply.status())))
        .increment();
    Object body =
        reply.body() instanceof TrackingReply.Success success && success.rejected().isEmpty()
            ? SUCCESS
            : reply.body();
    Response.ResponseBuilder builder =
        Response.status(reply.status()).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
    for (Map.Entry<String, String> header : reply.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return builder.build();
  }
}
