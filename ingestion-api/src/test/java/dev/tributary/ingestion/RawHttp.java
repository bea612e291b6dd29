package dev.tributary.ingestion;

import dev.tributary.testsupport.RawHttp.Answer;
import io.restassured.RestAssured;
import java.util.Map;

/**
 * Test helper: {@link dev.tributary.testsupport.RawHttp} aimed at the ingestion-api under test
 * (RestAssured's port).
 */
public final class RawHttp {

  private RawHttp() {}

  /** {@code body} null: no body; {@code chunked}: no Content-Length, the body in chunks. */
  public static Answer send(
      String method, String path, Map<String, String> headers, byte[] body, boolean chunked) {
    return dev.tributary.testsupport.RawHttp.send(
        RestAssured.port, method, path, headers, body, chunked);
  }

  public static Answer post(String path, Map<String, String> headers, String body) {
    return dev.tributary.testsupport.RawHttp.post(RestAssured.port, path, headers, body);
  }

  public static byte[] gzip(String text) {
    return dev.tributary.testsupport.RawHttp.gzip(text);
  }
}
