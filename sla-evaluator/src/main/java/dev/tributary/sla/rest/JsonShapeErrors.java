package dev.tributary.sla.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tributary.support.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A body that is JSON but of the wrong shape (an object where an array is expected, text where an
 * instant is expected): 400 {@code bad_request} with a problem body, as for malformed JSON. Without
 * this, Quarkus' own mapper answers an empty 400 that carries no stable code.
 */
public class JsonShapeErrors {

  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e) {
    return Problem.response(
        400, "bad_request", "the request could not be read (malformed JSON or parameter)");
  }
}
