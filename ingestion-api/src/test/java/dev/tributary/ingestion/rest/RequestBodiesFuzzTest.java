package dev.tributary.ingestion.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tributary.ingestion.ServiceJson;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the Tracking API's body decoding ({@link RequestBodies}): the bytes a
 * client sends, through gzip and the size limit, to the JSON tree the service reads. Run over the
 * committed corpus in every build; {@code scripts/fuzz.sh} fuzzes it.
 */
class RequestBodiesFuzzTest {

  /** The production limit ({@code tributary.ingestion.limits.max-request-bytes}). */
  static final int LIMIT = 512_000;

  /**
   * The limit of the gzip target: the property does not depend on it, and inflating and parsing
   * half a megabyte per input left the fuzzer no time to mutate (RequestBodiesTest checks the
   * production limit).
   */
  static final int GZIP_LIMIT = 65_536;

  /** What each decoding failure answers: the Segment-style codes the API documents. */
  static final Map<String, Integer> BODY_ERRORS =
      Map.of(
          "request_too_large", 413,
          "invalid_gzip", 400,
          "invalid_json", 400,
          "unsupported_encoding", 415);

  /**
   * An uncompressed body (malformed UTF-8, UTF-16/32, deep nesting, huge numbers and strings,
   * duplicate keys, NUL) either becomes a JSON tree or is refused with a documented code and
   * status; never with another exception.
   */
  @FuzzTest
  void identityBody(byte[] raw) {
    decodeAndParse(raw, null, LIMIT);
  }

  /**
   * A gzip body (bombs, truncated or corrupt streams) is never inflated past the limit plus one
   * byte, and either becomes a JSON tree or is refused with a documented code and status.
   */
  @FuzzTest
  void gzipBody(byte[] raw) {
    decodeAndParse(raw, "gzip", GZIP_LIMIT);
  }

  private static void decodeAndParse(byte[] raw, String contentEncoding, int limit) {
    byte[] body;
    try {
      body = RequestBodies.decode(raw, contentEncoding, limit);
    } catch (RequestBodies.BodyException e) {
      assertDocumented(e);
      return;
    }
    assertTrue(body.length <= limit, () -> "decoded " + body.length + " bytes");
    try {
      assertNotNull(RequestBodies.parseJson(body, ServiceJson.MAPPER));
    } catch (RequestBodies.BodyException e) {
      assertDocumented(e);
    }
  }

  private static void assertDocumented(RequestBodies.BodyException e) {
    Integer status = BODY_ERRORS.get(e.code);
    assertNotNull(status, () -> "undocumented code " + e.code);
    assertEquals(status, e.status, e.code);
  }
}
