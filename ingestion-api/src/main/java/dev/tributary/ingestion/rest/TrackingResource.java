package dev.tributary.ingestion.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.service.TrackingReply;
import dev.tributary.ingestion.service.TrackingService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Segment's HTTP Tracking API. Each path also answers with a trailing slash (the Java library
 * posts to {@code /v1/import/}); errors keep Segment's {@code {"code","message"}} shape.
 */
@Path("/v1")
@Tag(name = "Tracking API", description = "Segment-compatible event collection")
public class TrackingResource {

  private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

  private final TrackingService tracking;
  private final ObjectMapper mapper;
  private final IngestionConfig config;
  private final MeterRegistry registry;
  /** Counters by "endpoint status": looked up per request without building tags. */
  private final Map<String, Counter> requestCounters = new ConcurrentHashMap<>();

  public TrackingResource(TrackingService tracking, ObjectMapper mapper, IngestionConfig config, MeterRegistry registry) {
    this.tracking = tracking;
    this.mapper = mapper;
    this.config = config;
    this.registry = registry;
  }

  @POST
  @Path("{type: identify|track|page|screen|group|alias}")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Record one identify, track, page, screen, group or alias event")
  public Uni<Response> single(
      @PathParam("type") String type,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      byte[] body) {
    return handle(type, type, contentType, contentEncoding, authorization, body);
  }

  @POST
  @Path("{kind: batch|import}")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Record up to 2,500 events of any type; import is an alias of batch")
  public Uni<Response> batch(
      @PathParam("kind") String kind,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      byte[] body) {
    return handle(kind, null, contentType, contentEncoding, authorization, body);
  }

  private Uni<Response> handle(
      String endpoint, String callType, String contentType, String contentEncoding, String authorization, byte[] raw) {
    if (!RequestBodies.isJson(contentType)) {
      return reply(endpoint, TrackingReply.error(415, "unsupported_media_type", "send Content-Type: application/json"));
    }
    byte[] body;
    try {
      body = RequestBodies.decode(raw == null ? new byte[0] : raw, contentEncoding, config.limits().maxRequestBytes());
    } catch (RequestBodies.BodyException e) {
      return reply(endpoint, TrackingReply.error(e.status, e.code, e.getMessage()));
    }
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      return reply(endpoint, TrackingReply.error(400, "invalid_json", "the body is not valid JSON"));
    } catch (IOException e) {
      return reply(endpoint, TrackingReply.error(400, "invalid_json", "the body could not be read"));
    }
    return tracking
        .handle(callType, json, basicUsername(authorization), body.length)
        .map(reply -> toResponse(endpoint, reply));
  }

  private Uni<Response> reply(String endpoint, TrackingReply reply) {
    return Uni.createFrom().item(toResponse(endpoint, reply));
  }

  private Response toResponse(String endpoint, TrackingReply reply) {
    requestCounters
        .computeIfAbsent(
            endpoint + ' ' + reply.status(),
            key ->
                registry.counter(
                    "tributary.ingest.requests", "endpoint", endpoint, "status", Integer.toString(reply.status())))
        .increment();
    // The common answer is a constant: write its bytes instead of serialising a record each time.
    Object body = reply.status() == 200 && reply.eventsRejected() == 0 ? SUCCESS : reply.body();
    Response.ResponseBuilder builder =
        Response.status(reply.status()).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
    for (Map.Entry<String, String> header : reply.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  /** The write key from {@code Authorization: Basic base64(key:)} (the colon is optional), or null. */
  static String basicUsername(String authorization) {
    if (authorization == null || authorization.length() < 6
        || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    String username = colon >= 0 ? decoded.substring(0, colon) : decoded;
    return username.isEmpty() ? null : username;
  }
}
