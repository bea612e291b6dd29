package dev.tributary.ingestion.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.service.SegmentEventNormalizer;
import dev.tributary.ingestion.service.TrackingReply;
import dev.tributary.ingestion.service.TrackingService;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Segment's HTTP Tracking API, under the long paths of the server libraries and the short ones of
 * the browser and mobile libraries; each also answers with a trailing slash (the Java library posts
 * to {@code /v1/import/}). Errors keep Segment's {@code {"code","message"}} shape; CORS is {@link
 * TrackingCors}, which runs first; the OpenAPI document describes these paths from {@code
 * META-INF/openapi.yaml}.
 *
 * <p>A plain Vert.x route rather than a Quarkus REST resource: every event of every library comes
 * through here, and the request's body is all it reads. On the REST stack the framework took two
 * thirds of the service's CPU per single event (README, "Where the time goes"): resource matching
 * and parameter injection, and Mutiny with context propagation around each step. Here the body is
 * read on the event loop, handed to {@link TrackingService}, and answered when its future
 * completes. Other {@code /v1/} paths (the libraries' settings) go on to Quarkus REST.
 */
@ApplicationScoped
public class TrackingRoutes {

  /**
   * One Tracking API path: the name it is counted under (the long form) and the call type it
   * carries, null for batches.
   */
  record Endpoint(String name, String callType) {}

  private static final Endpoint LIBRARY_METRICS = new Endpoint("metrics", null);

  /** The path after {@code /v1/}: the long names, and the short ones of the browser libraries. */
  private static final Map<String, Endpoint> ENDPOINTS = endpoints();

  private static Map<String, Endpoint> endpoints() {
    Map<String, Endpoint> endpoints = new HashMap<>();
    for (String type : SegmentEventNormalizer.TYPES) {
      Endpoint single = new Endpoint(type, type);
      endpoints.put(type, single);
      endpoints.put(type.substring(0, 1), single); // analytics.js and analytics-next: /v1/t, /v1/i
    }
    Endpoint batch = new Endpoint("batch", null);
    endpoints.put("batch", batch);
    // Kotlin, Swift, React Native, C# and analytics-next's batching delivery.
    endpoints.put("b", batch);
    // The official Java and Ruby libraries post their batches here.
    endpoints.put("import", new Endpoint("import", null));
    // analytics-next's reports about its own delivery: answered like Segment and dropped.
    endpoints.put("m", LIBRARY_METRICS);
    return Map.copyOf(endpoints);
  }

  private static final String PREFIX = "/v1/";

  private final TrackingService tracking;
  private final ObjectMapper mapper;
  private final TrackingAnswers answers;
  private final int maxRequestBytes;
  private final long maxTransferBytes;

  public TrackingRoutes(
      TrackingService tracking,
      ObjectMapper mapper,
      TrackingAnswers answers,
      IngestionConfig config,
      @ConfigProperty(name = "quarkus.http.limits.max-body-size")
          Optional<MemorySize> httpBodyLimit) {
    this.tracking = tracking;
    this.mapper = mapper;
    this.answers = answers;
    this.maxRequestBytes = config.limits().maxRequestBytes();
    // The HTTP layer refuses a declared Content-Length over its cut-off before this route; a body
    // sent in chunks, without one, is cut off here at the same size.
    this.maxTransferBytes =
        httpBodyLimit.map(MemorySize::asLongValue).orElse((long) Integer.MAX_VALUE);
  }

  void register(@Observes Router router) {
    // After CORS and the HTTP layer's upload limit, before Quarkus REST.
    router
        .route(PREFIX + "*")
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
        .handler(this::route);
  }

  private void route(RoutingContext context) {
    Endpoint endpoint = endpointOf(context.normalizedPath());
    if (endpoint == null) {
      context.next();
      return;
    }
    if (context.request().method() != HttpMethod.POST) {
      context.response().putHeader(HttpHeaders.ALLOW, "POST, OPTIONS");
      answer(
          context,
          endpoint,
          TrackingReply.error(
              405, "method_not_allowed", "the Tracking API takes POST requests only"));
      return;
    }
    new BodyReader(context, endpoint).start();
  }

  /** The endpoint of {@code /v1/<name>} or {@code /v1/<name>/}, or null for any other path. */
  static Endpoint endpointOf(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    int end = path.endsWith("/") ? path.length() - 1 : path.length();
    int slash = path.indexOf('/', PREFIX.length());
    if (end <= PREFIX.length() || (slash >= 0 && slash < end)) {
      return null;
    }
    return ENDPOINTS.get(path.substring(PREFIX.length(), end));
  }

  /**
   * Reads one request's body as it arrives, without blocking: the chunks are kept as they come
   * (most bodies arrive in one) and cut off past the transfer limit.
   */
  private final class BodyReader implements Handler<Buffer> {
    private final RoutingContext context;
    private final Endpoint endpoint;
    private Buffer body;
    private boolean growing;
    private boolean refused;

    BodyReader(RoutingContext context, Endpoint endpoint) {
      this.context = context;
      this.endpoint = endpoint;
    }

    void start() {
      HttpServerRequest request = context.request();
      request.handler(this);
      request.endHandler(ignored -> ended());
      request.exceptionHandler(
          failure -> {
            // The connection broke mid-body: there is nobody to answer.
            refused = true;
            Log.debugf("Tracking API request body not read: %s", failure.toString());
          });
    }

    @Override
    public void handle(Buffer chunk) {
      if (refused) {
        return;
      }
      long size = (body == null ? 0 : body.length()) + (long) chunk.length();
      if (size > maxTransferBytes) {
        refused = true;
        body = null;
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        context.response().endHandler(ignored -> context.request().connection().close());
        answer(
            context,
            endpoint,
            TrackingReply.error(
                413,
                "request_too_large",
                "a request may be at most " + maxTransferBytes + " bytes as sent"));
        return;
      }
      if (body == null) {
        body = chunk; // Vert.x hands over a copy of the network's bytes: it may be kept
      } else {
        if (!growing) {
          body = Buffer.buffer((int) Math.min(maxTransferBytes, 2 * size)).appendBuffer(body);
          growing = true;
        }
        body.appendBuffer(chunk);
      }
    }

    private void ended() {
      if (refused) {
        return;
      }
      byte[] raw = body == null ? new byte[0] : body.getBytes();
      body = null;
      if (endpoint == LIBRARY_METRICS) {
        answer(context, endpoint, TrackingReply.ok(0, List.of()));
        return;
      }
      handleBody(context, endpoint, raw);
    }
  }

  private void handleBody(RoutingContext context, Endpoint endpoint, byte[] raw) {
    HttpServerRequest request = context.request();
    if (!RequestBodies.isReadableAsJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      answer(
          context,
          endpoint,
          TrackingReply.error(
              415,
              "unsupported_media_type",
              "send a JSON body as application/json, as text/plain or without Content-Type"));
      return;
    }
    String headerWriteKey = basicUsername(request.getHeader(HttpHeaders.AUTHORIZATION));
    TrackingReply refused = tracking.refuseBeforeParsing(headerWriteKey);
    if (refused != null) {
      answer(context, endpoint, refused);
      return;
    }
    byte[] body;
    JsonNode json;
    try {
      body =
          RequestBodies.decode(
              raw, request.getHeader(HttpHeaders.CONTENT_ENCODING), maxRequestBytes);
      json = RequestBodies.parseJson(body, mapper);
    } catch (RequestBodies.BodyException e) {
      answer(context, endpoint, TrackingReply.error(e.status, e.code, e.getMessage()));
      return;
    }
    ContextInternal requestContext = (ContextInternal) Vertx.currentContext();
    tracking
        .handle(endpoint.callType(), json, headerWriteKey, request.getHeader("Origin"), body.length)
        .whenComplete(
            (reply, failure) -> {
              TrackingReply answer = failure == null ? reply : unexpected(failure);
              // The commit completes on the database connection's event loop; the answer is
              // written on the request's own.
              if (requestContext == null || requestContext.nettyEventLoop().inEventLoop()) {
                answer(context, endpoint, answer);
              } else {
                requestContext.runOnContext(ignored -> answer(context, endpoint, answer));
              }
            });
  }

  private static TrackingReply unexpected(Throwable failure) {
    Log.errorf(failure, "Tracking API request failed unexpectedly");
    return TrackingReply.error(500, "internal_error", "the request could not be processed");
  }

  private void answer(RoutingContext context, Endpoint endpoint, TrackingReply reply) {
    answers.send(context.response(), endpoint.name(), reply);
  }

  /**
   * The write key from {@code Authorization: Basic base64(key:)} (the colon is optional), or null.
   */
  static String basicUsername(String authorization) {
    if (authorization == null
        || authorization.length() < 6
        || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    String username = colon >= 0 ? decoded.substring(0, colon) : decoded;
    return username.isEmpty() ? null : username;
  }
}
