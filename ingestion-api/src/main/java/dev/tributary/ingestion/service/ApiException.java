package dev.tributary.ingestion.service;

/** An admin/internal API error, answered as {@code application/problem+json} with a stable code. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;

  public ApiException(int status, String code, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " does not exist");
  }

  public static ApiException badRequest(String code, String detail) {
    return new ApiException(400, code, detail);
  }
}
