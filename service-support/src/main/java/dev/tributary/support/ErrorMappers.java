package dev.tributary.support;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns exceptions into answers that never leak class names or stack traces: problem+json, except
 * under {@code tributary.errors.segment-paths} (ingestion-api's Tracking API), which keeps
 * Segment's {@code {"code","message"}} shape.
 */
public class ErrorMappers {

  private final List<String> segmentPaths;

  public ErrorMappers(PlatformConfig config) {
    this.segmentPaths = config.errors().segmentPaths().orElse(List.of());
  }

  @ServerExceptionMapper
  public Response apiException(ApiException e) {
    return Problem.response(e.status(), e.code(), e.getMessage(), e.errors());
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e) {
    List<String> errors =
        e.getConstraintViolations().stream()
            .map(v -> lastNode(v.getPropertyPath().toString()) + ": " + v.getMessage())
            .sorted()
            .toList();
    return Problem.response(400, "validation_failed", "the request is not valid", errors);
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    String code =
        switch (status) {
          case 400 -> "bad_request";
          case 401 -> "unauthorized";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 406 -> "not_acceptable";
          case 413 -> "request_too_large";
          case 415 -> "unsupported_media_type";
          default -> "http_" + status;
        };
    String detail =
        status == 400
            ? "the request could not be read (malformed JSON or parameter)"
            : e.getMessage();
    return respond(uri, status, code, detail);
  }

  /**
   * JSON of the wrong shape (an object where an array is expected, text where an instant is
   * expected): answered like malformed JSON, instead of Quarkus' empty 400 without a code.
   */
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    return respond(
        uri, 400, "bad_request", "the request could not be read (malformed JSON or parameter)");
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e, UriInfo uri) {
    if (isDatabaseUnreachable(e)) {
      Log.warnf("database unreachable on %s: %s", uri.getPath(), e.toString());
      return Response.fromResponse(
              respond(uri, 503, "database_unavailable", "the database is unavailable; retry later"))
          .header("Retry-After", "5")
          .build();
    }
    Log.errorf(e, "unexpected error on %s", uri.getPath());
    return respond(uri, 500, "internal_error", "an unexpected error occurred; it has been logged");
  }

  private static boolean isDatabaseUnreachable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof ClosedConnectionException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private Response respond(UriInfo uri, int status, String code, String detail) {
    if (segmentPaths.stream().anyMatch(uri.getPath()::startsWith)) {
      return Response.status(status)
          .type(MediaType.APPLICATION_JSON_TYPE)
          .entity(Map.of("code", code, "message", detail))
          .build();
    }
    return Problem.response(status, code, detail);
  }

  private static String lastNode(String path) {
    int dot = path.lastIndexOf('.');
    return dot >= 0 ? path.substring(dot + 1) : path;
  }
}
