package dev.tributary.ingestion.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.service.TrackingReply;
import dev.tributary.ingestion.service.TrackingService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Segment's HTTP Tracking API, under the long paths of the server libraries and the short ones of
 * the browser and mobile libraries. Each path also answers with a trailing slash (the Java library
 * posts to {@code /v1/import/}); errors keep Segment's {@code {"code","message"}} shape. CORS:
 * {@link TrackingCors}.
 */
@Path("/v1")
@Consumes(MediaType.WILDCARD)
// No @Produces: every answer is JSON whatever the client accepts. C# sends "Accept: text/plain"
// and deletes a batch answered 406; TrackingAnswers sets the type of each answer.
@Tag(name = "Tracking API", description = "Segment-compatible event collection")
@SecurityScheme(
    securitySchemeName = "writeKey",
    type = SecuritySchemeType.HTTP,
    scheme = "basic",
    description = "The source's write key as username, empty password")
@SecurityRequirement(name = "writeKey")
public class TrackingResource {

  private final TrackingService tracking;
  private final ObjectMapper mapper;
  private final IngestionConfig config;
  private final TrackingAnswers answers;

  public TrackingResource(
      TrackingService tracking,
      ObjectMapper mapper,
      IngestionConfig config,
      TrackingAnswers answers) {
    this.tracking = tracking;
    this.mapper = mapper;
    this.config = config;
    this.answers = answers;
  }

  @POST
  @Path("identify")
  @Operation(summary = "Who the user is, with their traits")
  public Uni<Response> identify(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("identify", "identify", headers, body);
  }

  @POST
  @Path("track")
  @Operation(summary = "An action the user performed (needs event)")
  public Uni<Response> track(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("track", "track", headers, body);
  }

  @POST
  @Path("page")
  @Operation(summary = "A web page the user viewed")
  public Uni<Response> page(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("page", "page", headers, body);
  }

  @POST
  @Path("screen")
  @Operation(summary = "An app screen the user viewed")
  public Uni<Response> screen(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("screen", "screen", headers, body);
  }

  @POST
  @Path("group")
  @Operation(summary = "The group or account the user belongs to (needs groupId)")
  public Uni<Response> group(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("group", "group", headers, body);
  }

  @POST
  @Path("alias")
  @Operation(summary = "Merge two user identities (needs previousId and userId)")
  public Uni<Response> alias(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("alias", "alias", headers, body);
  }

  @POST
  @Path("batch")
  @Operation(summary = "Up to 2,500 events of any type in {\"batch\": [...]}")
  public Uni<Response> batch(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("batch", null, headers, body);
  }

  @POST
  @Path("import")
  @Operation(summary = "The same as batch (the official Java and Ruby libraries post here)")
  public Uni<Response> importBatch(@BeanParam TrackingHeaders headers, byte[] body) {
    return handle("import", null, headers, body);
  }

  // The short paths of the browser and mobile libraries: analytics.js and analytics-next post one
  // event to /v1/t, /v1/i, ...; Kotlin, Swift, React Native, C# and analytics-next's batching
  // delivery post batches to /v1/b. Each is its long form exactly, counted under the long name.

  @POST
  @Path("i")
  @Operation(summary = "/v1/identify under the short path of the browser libraries")
  public Uni<Response> identifyShort(@BeanParam TrackingHeaders headers, byte[] body) {
    return identify(headers, body);
  }

  @POST
  @Path("t")
  @Operation(summary = "/v1/track under the short path of the browser libraries")
  public Uni<Response> trackShort(@BeanParam TrackingHeaders headers, byte[] body) {
    return track(headers, body);
  }

  @POST
  @Path("p")
  @Operation(summary = "/v1/page under the short path of the browser libraries")
  public Uni<Response> pageShort(@BeanParam TrackingHeaders headers, byte[] body) {
    return page(headers, body);
  }

  @POST
  @Path("s")
  @Operation(summary = "/v1/screen under the short path of the browser libraries")
  public Uni<Response> screenShort(@BeanParam TrackingHeaders headers, byte[] body) {
    return screen(headers, body);
  }

  @POST
  @Path("g")
  @Operation(summary = "/v1/group under the short path of the browser libraries")
  public Uni<Response> groupShort(@BeanParam TrackingHeaders headers, byte[] body) {
    return group(headers, body);
  }

  @POST
  @Path("a")
  @Operation(summary = "/v1/alias under the short path of the browser libraries")
  public Uni<Response> aliasShort(@BeanParam TrackingHeaders headers, byte[] body) {
    return alias(headers, body);
  }

  @POST
  @Path("b")
  @Operation(summary = "/v1/batch under the short path of the mobile and browser libraries")
  public Uni<Response> batchShort(@BeanParam TrackingHeaders headers, byte[] body) {
    return batch(headers, body);
  }

  /**
   * The browser library's reports about itself (delivery counters), not customer events: answered
   * like Segment and discarded, so they never fail in the page nor count as traffic.
   */
  @POST
  @Path("m")
  @Operation(summary = "analytics-next's own delivery metrics: accepted and discarded")
  public Response libraryMetrics() {
    return Response.ok(TrackingAnswers.SUCCESS, MediaType.APPLICATION_JSON_TYPE).build();
  }

  private Uni<Response> handle(
      String endpoint, String callType, TrackingHeaders headers, byte[] raw) {
    if (!RequestBodies.isReadableAsJson(headers.contentType)) {
      return reply(
          endpoint,
          TrackingReply.error(
              415,
              "unsupported_media_type",
              "send a JSON body as application/json, as text/plain or without Content-Type"));
    }
    String headerWriteKey = basicUsername(headers.authorization);
    TrackingReply refused = tracking.refuseBeforeParsing(headerWriteKey);
    if (refused != null) {
      return reply(endpoint, refused);
    }
    byte[] body;
    JsonNode json;
    try {
      body =
          RequestBodies.decode(
              raw == null ? new byte[0] : raw,
              headers.contentEncoding,
              config.limits().maxRequestBytes());
      json = RequestBodies.parseJson(body, mapper);
    } catch (RequestBodies.BodyException e) {
      return reply(endpoint, TrackingReply.error(e.status, e.code, e.getMessage()));
    }
    return tracking
        .handle(callType, json, headerWriteKey, headers.origin, body.length)
        .map(reply -> answers.respond(endpoint, reply));
  }

  private Uni<Response> reply(String endpoint, TrackingReply reply) {
    return Uni.createFrom().item(answers.respond(endpoint, reply));
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
