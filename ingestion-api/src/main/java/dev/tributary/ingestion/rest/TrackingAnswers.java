package dev.tributary.ingestion.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ingestion.service.TrackingReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link TrackingReply} into the HTTP answer, on a Vert.x response (the Tracking API's
 * route) or as a JAX-RS {@link Response} (the libraries' settings), and counts it in {@code
 * tributary_ingest_requests_total{endpoint,status}}. Every answer is JSON whatever the client
 * accepts: C# sends {@code Accept: text/plain} and deletes a batch answered 406.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
class TrackingAnswers {

  /** Segment's success body, the answer to nearly every request: written as constant bytes. */
  static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

  /** The same bytes as a Vert.x buffer; Vert.x writes a duplicate of it, so one serves all. */
  private static final Buffer SUCCESS_BUFFER = Buffer.buffer(SUCCESS);

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final MeterRegistry registry;
  private final ObjectMapper mapper;

  /** Counters by endpoint, then status: looked up per request without building tags or keys. */
  private final Map<String, Map<Integer, Counter>> requestCounters = new ConcurrentHashMap<>();

  TrackingAnswers(MeterRegistry registry, ObjectMapper mapper) {
    this.registry = registry;
    this.mapper = mapper;
  }

  /** Writes {@code reply} as the answer of {@code response}, unless the client has gone. */
  void send(HttpServerResponse response, String endpoint, TrackingReply reply) {
    count(endpoint, reply.status());
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
    for (Map.Entry<String, String> header : reply.headers().entrySet()) {
      response.putHeader(header.getKey(), header.getValue());
    }
    Object body = body(reply);
    response.end(body == SUCCESS ? SUCCESS_BUFFER : Buffer.buffer(json(body)));
  }

  /** The same answer for a Quarkus REST resource. */
  Response respond(String endpoint, TrackingReply reply) {
    count(endpoint, reply.status());
    Response.ResponseBuilder builder =
        Response.status(reply.status()).entity(body(reply)).type(MediaType.APPLICATION_JSON_TYPE);
    for (Map.Entry<String, String> header : reply.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  private static Object body(TrackingReply reply) {
    return reply.body() instanceof TrackingReply.Success success && success.rejected().isEmpty()
        ? SUCCESS
        : reply.body();
  }

  private byte[] json(Object body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a Tracking API answer must serialise", e);
    }
  }

  private void count(String endpoint, int status) {
    requestCounters
        .computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            status,
            s ->
                registry.counter(
                    "tributary.ingest.requests",
                    "endpoint",
                    endpoint,
                    "status",
                    Integer.toString(s)))
        .increment();
  }
}
