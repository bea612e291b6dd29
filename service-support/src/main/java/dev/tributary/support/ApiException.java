package dev.tributary.support;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** An API error, answered as {@code application/problem+json} with a stable code. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final List<String> errors;

  public ApiException(int status, String code, String detail) {
    this(status, code, detail, List.of());
  }

  public ApiException(int status, String code, String detail, List<String> errors) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Details of a validation failure, one entry per problem; empty otherwise. */
  public List<String> errors() {
    return errors;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " does not exist");
  }

  public static ApiException badRequest(String code, String detail) {
    return new ApiException(400, code, detail);
  }

  public static ApiException unprocessable(String code, String detail) {
    return new ApiException(422, code, detail);
  }

  /**
   * A required ISO-8601 instant query parameter: 400 {@code missing_parameter} when absent, 400
   * {@code invalid_parameter} when it does not parse.
   */
  public static Instant instantParameter(String name, String value) {
    if (value == null || value.isBlank()) {
      throw badRequest("missing_parameter", name + " is required (ISO-8601 instant)");
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw badRequest(
          "invalid_parameter", name + " must be an ISO-8601 instant such as 2025-07-01T00:00:00Z");
    }
  }
}
