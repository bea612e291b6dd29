package dev.tributary.ingestion.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of body decoding: size limit after decompression, gzip bombs, encodings, JSON media
 * types.
 */
class RequestBodiesTest {

  static final int LIMIT = 512_000;

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void identityBodiesUpToTheLimitPassUnchanged() throws Exception {
    byte[] body = new byte[LIMIT];
    assertSame(body, RequestBodies.decode(body, null, LIMIT));
    assertSame(body, RequestBodies.decode(body, "identity", LIMIT));
    assertSame(body, RequestBodies.decode(body, "", LIMIT));
    assertSame(body, RequestBodies.decode(body, " Identity ", LIMIT));
  }

  @Test
  void anIdentityBodyOverTheLimitIsRequestTooLarge() {
    RequestBodies.BodyException e =
        assertThrows(
            RequestBodies.BodyException.class,
            () -> RequestBodies.decode(new byte[LIMIT + 1], null, LIMIT));
    assertEquals(413, e.status);
    assertEquals("request_too_large", e.code);
  }

  @Test
  void gzipIsDecoded() throws Exception {
    byte[] json = "{\"userId\":\"u\",\"event\":\"e\"}".getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(json, RequestBodies.decode(gzip(json), "gzip", LIMIT));
    assertArrayEquals(json, RequestBodies.decode(gzip(json), "x-gzip", LIMIT));
    assertArrayEquals(json, RequestBodies.decode(gzip(json), "GZIP", LIMIT));
  }

  @Test
  void gzipOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() throws Exception {
    byte[] exact = new byte[LIMIT];
    Arrays.fill(exact, (byte) 'a');
    assertArrayEquals(exact, RequestBodies.decode(gzip(exact), "gzip", LIMIT));
    byte[] over = new byte[LIMIT + 1];
    Arrays.fill(over, (byte) 'a');
    RequestBodies.BodyException e =
        assertThrows(
            RequestBodies.BodyException.class,
            () -> RequestBodies.decode(gzip(over), "gzip", LIMIT));
    assertEquals(413, e.status);
    assertEquals("request_too_large", e.code);
  }

  @Test
  void aGzipBombIsRequestTooLarge() throws Exception {
    byte[] bomb = gzip(new byte[50 * 1024 * 1024]);
    assertTrue(bomb.length < 100_000, "50 MB of zeros compress to " + bomb.length + " bytes");
    RequestBodies.BodyException e =
        assertThrows(
            RequestBodies.BodyException.class, () -> RequestBodies.decode(bomb, "gzip", LIMIT));
    assertEquals(413, e.status);
    assertEquals("request_too_large", e.code);
  }

  @Test
  void invalidGzipIsInvalidGzip() {
    RequestBodies.BodyException e =
        assertThrows(
            RequestBodies.BodyException.class,
            () ->
                RequestBodies.decode(
                    "{\"not\":\"gzip\"}".getBytes(StandardCharsets.UTF_8), "gzip", LIMIT));
    assertEquals(400, e.status);
    assertEquals("invalid_gzip", e.code);
    RequestBodies.BodyException empty =
        assertThrows(
            RequestBodies.BodyException.class,
            () -> RequestBodies.decode(new byte[0], "gzip", LIMIT));
    assertEquals(400, empty.status);
    assertEquals("invalid_gzip", empty.code);
  }

  @Test
  void truncatedGzipIsInvalidGzip() throws Exception {
    byte[] whole =
        gzip(
            "{\"userId\":\"u\",\"event\":\"a long enough body to be cut\"}"
                .getBytes(StandardCharsets.UTF_8));
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    RequestBodies.BodyException e =
        assertThrows(
            RequestBodies.BodyException.class,
            () -> RequestBodies.decode(truncated, "gzip", LIMIT));
    assertEquals(400, e.status);
    assertEquals("invalid_gzip", e.code);
  }

  @Test
  void anUnknownEncodingIs415() {
    for (String encoding : new String[] {"br", "deflate", "zstd", "gzip, br"}) {
      RequestBodies.BodyException e =
          assertThrows(
              RequestBodies.BodyException.class,
              () -> RequestBodies.decode(new byte[10], encoding, LIMIT));
      assertEquals(415, e.status, encoding);
      assertEquals("unsupported_encoding", e.code, encoding);
    }
  }

  @Test
  void mediaTypesTheLibrariesSendAreReadAsJson() {
    assertTrue(RequestBodies.isReadableAsJson("application/json"));
    assertTrue(RequestBodies.isReadableAsJson("application/json; charset=utf-8"));
    assertTrue(RequestBodies.isReadableAsJson("Application/JSON"));
    assertTrue(RequestBodies.isReadableAsJson("application/vnd.segment+json"));
    // analytics.js, analytics-next and Kotlin: a "simple" cross-origin request, no preflight.
    assertTrue(RequestBodies.isReadableAsJson("text/plain"));
    assertTrue(RequestBodies.isReadableAsJson("text/plain;charset=UTF-8"));
    // C# sends no Content-Type at all.
    assertTrue(RequestBodies.isReadableAsJson(null));
    assertTrue(RequestBodies.isReadableAsJson(""));
    assertFalse(RequestBodies.isReadableAsJson("application/x-www-form-urlencoded"));
    assertFalse(RequestBodies.isReadableAsJson("multipart/form-data; boundary=x"));
    assertFalse(RequestBodies.isReadableAsJson("application/jsonp"));
    assertFalse(RequestBodies.isReadableAsJson("text/html"));
  }
}
