package dev.tributary.bench.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What ingestion-api does to a Tracking API request before it stores anything, and nothing more:
 * the same paths on a Vert.x route of the Quarkus HTTP server (ingestion-api's TrackingRoutes), the
 * body read as it arrives on the event loop and parsed into a Jackson tree, a Segment-shaped
 * answer. bench/run.sh measures ingestion-api against it, so that a ratio rather than a machine's
 * absolute speed says how much storing costs.
 */
@ApplicationScoped
public class EchoRoute {

  private static final Buffer SUCCESS =
      Buffer.buffer("{\"success\":true}".getBytes(StandardCharsets.UTF_8));
  private static final Buffer INVALID =
      Buffer.buffer("{\"code\":\"invalid_json\",\"message\":\"not a JSON object\"}");

  private final ObjectMapper mapper;

  public EchoRoute(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void register(@Observes Router router) {
    // Every Tracking API path, long (/v1/track) and short (/v1/t), with or without a trailing
    // slash.
    router
        .routeWithRegex(
            HttpMethod.POST,
            "/v1/(identify|track|page|screen|group|alias|batch|import|[itpsgabm])/?")
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
        .handler(this::echo);
  }

  private void echo(RoutingContext context) {
    HttpServerRequest request = context.request();
    // As ingestion-api's TrackingRoutes reads a body: the first chunk kept, a buffer once a second
    // one arrives.
    Buffer[] body = {null, null};
    request.handler(
        chunk -> {
          if (body[0] == null) {
            body[0] = chunk;
            return;
          }
          if (body[1] == null) {
            body[1] = Buffer.buffer(2 * (body[0].length() + chunk.length())).appendBuffer(body[0]);
            body[0] = body[1];
          }
          body[0].appendBuffer(chunk);
        });
    request.endHandler(
        ignored -> {
          JsonNode tree;
          try {
            tree = mapper.readTree(body[0] == null ? new byte[0] : body[0].getBytes());
          } catch (IOException e) {
            tree = null;
          }
          boolean valid = tree != null && tree.isObject();
          context
              .response()
              .setStatusCode(valid ? 200 : 400)
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
              .end(valid ? SUCCESS : INVALID);
        });
  }
}
