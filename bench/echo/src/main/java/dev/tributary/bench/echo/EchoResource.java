package dev.tributary.bench.echo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What ingestion-api does to a Tracking API request before it stores anything, and nothing more:
 * the same paths, the body read as bytes on the event loop and parsed into a Jackson tree, a
 * Segment-shaped answer. bench/run.sh measures ingestion-api against it, so that a ratio rather
 * than a machine's absolute speed says how much storing costs.
 */
@Path("/v1")
public class EchoResource {

  private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INVALID =
      "{\"success\":false,\"code\":\"invalid_json\"}".getBytes(StandardCharsets.UTF_8);

  private final ObjectMapper mapper;

  public EchoResource(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Every Tracking API path, long ({@code /v1/track}) and short ({@code /v1/t}). */
  @POST
  @Path("{call: identify|track|page|screen|group|alias|batch|import|[itpsgabm]}")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @NonBlocking
  public Response echo(byte[] body) {
    JsonNode tree;
    try {
      tree = mapper.readTree(body);
    } catch (IOException e) {
      tree = null;
    }
    if (tree == null || !tree.isObject()) {
      return Response.status(400).entity(INVALID).build();
    }
    return Response.ok(SUCCESS).build();
  }
}
