package dev.tributary.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** RFC 9457 problem details, with a stable {@code code} clients can branch on. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type, String title, int status, String detail, String code, List<String> errors) {

  public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

  public static Response response(int status, String code, String detail) {
    return response(status, code, detail, List.of());
  }

  public static Response response(int status, String code, String detail, List<String> errors) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known != null ? known.getReasonPhrase() : "Error";
    return Response.status(status)
        .type(MEDIA_TYPE)
        .entity(new Problem("about:blank", title, status, detail, code, errors))
        .build();
  }
}
