package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.onlyEvent;
import static dev.tributary.ingestion.Accounts.tracking;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** 32 KB per event, 500 KB per request (after decompression), gzip bodies and gzip bombs. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingLimitsTest {

  static final int MAX_EVENT_BYTES = 32 * 1024;
  static final int MAX_REQUEST_BYTES = 512_000;

  /** A compact single track event of exactly {@code size} bytes of JSON. */
  static String trackEventOfSize(String messageId, int size) {
    String head =
        "{\"userId\":\"u\",\"event\":\"Big\",\"messageId\":\""
            + messageId
            + "\",\"properties\":{\"pad\":\"";
    String tail = "\"}}";
    String event = head + "x".repeat(size - head.length() - tail.length()) + tail;
    assertEquals(size, event.getBytes(StandardCharsets.UTF_8).length);
    return event;
  }

  /** The same as a batch item (with "type"). */
  static String batchItemOfSize(String messageId, int size) {
    String head =
        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Big\",\"messageId\":\""
            + messageId
            + "\",\"properties\":{\"pad\":\"";
    String tail = "\"}}";
    return head + "x".repeat(size - head.length() - tail.length()) + tail;
  }

  /**
   * A valid batch body of exactly {@code size} bytes: items well under 32 KB plus an ignored
   * top-level pad.
   */
  static String batchBodyOfSize(int size, String idPrefix) {
    List<String> items = new ArrayList<>();
    int itemSize = 20_000;
    int itemCount = (size - 1000) / (itemSize + 1);
    for (int i = 0; i < itemCount; i++) {
      items.add(batchItemOfSize(idPrefix + i, itemSize));
    }
    String head = "{\"batch\":[" + String.join(",", items) + "],\"pad\":\"";
    String tail = "\"}";
    String body = head + "y".repeat(size - head.length() - tail.length()) + tail;
    assertEquals(size, body.getBytes(StandardCharsets.UTF_8).length);
    return body;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void aSingleEventOver32KbIsEventTooLarge() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(trackEventOfSize("too-big", 40_000))
        .post("/v1/track")
        .then()
        .statusCode(413)
        .contentType(ContentType.JSON)
        .body("code", is("event_too_large"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void aSingleEventOfExactly32KbIsAcceptedAndOneByteMoreIsNot() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(trackEventOfSize("exactly-32k", MAX_EVENT_BYTES))
        .post("/v1/track")
        .then()
        .statusCode(200);
    tracking(source.writeKey())
        .body(trackEventOfSize("one-byte-more", MAX_EVENT_BYTES + 1))
        .post("/v1/track")
        .then()
        .statusCode(413)
        .body("code", is("event_too_large"));
    assertEquals("exactly-32k", onlyEvent(source.sourceId()).get("messageId"));
  }

  @Test
  void aBatchItemOver32KbIsRejectedWhileTheOthersAreStored() {
    TestSource source = newSource();
    String body =
        "{\"batch\":["
            + batchItemOfSize("small-0", 200)
            + ","
            + batchItemOfSize("big-1", 40_000)
            + ","
            + batchItemOfSize("small-2", 300)
            + "]}";
    tracking(source.writeKey())
        .body(body)
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("success", is(true))
        .body("rejected.size()", is(1))
        .body("rejected[0].index", is(1))
        .body("rejected[0].messageId", is("big-1"))
        .body("rejected[0].reason", is("event_too_large"));
    Set<Object> stored =
        events(source.sourceId()).stream().map(e -> e.get("messageId")).collect(Collectors.toSet());
    assertEquals(Set.of("small-0", "small-2"), stored);
  }

  @Test
  void aBodyOver500KbIsRequestTooLarge() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(batchBodyOfSize(600_000, "over-"))
        .post("/v1/batch")
        .then()
        .statusCode(413)
        .contentType(ContentType.JSON)
        .body("code", is("request_too_large"));
    tracking(source.writeKey())
        .body(trackEventOfSize("huge-single", 600_000))
        .post("/v1/track")
        .then()
        .statusCode(413)
        .body("code", is("request_too_large"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void aBodyOfExactly512000BytesIsAcceptedAndOneByteMoreIsNot() {
    TestSource source = newSource();
    String exact = batchBodyOfSize(MAX_REQUEST_BYTES, "exact-");
    tracking(source.writeKey())
        .body(exact)
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("success", is(true));
    int stored = events(source.sourceId()).size();
    assertTrue(stored > 20, "items of the 512,000-byte body stored: " + stored);

    tracking(source.writeKey())
        .body(batchBodyOfSize(MAX_REQUEST_BYTES + 1, "plus-one-"))
        .post("/v1/batch")
        .then()
        .statusCode(413)
        .body("code", is("request_too_large"));
    assertEquals(stored, events(source.sourceId()).size());
  }

  @Test
  void gzipEncodedBodiesAreAccepted() {
    TestSource source = newSource();
    String batch =
        "{\"batch\":[" + batchItemOfSize("gz-0", 500) + "," + batchItemOfSize("gz-1", 500) + "]}";
    tracking(source.writeKey())
        .header("Content-Encoding", "gzip")
        .body(gzip(batch.getBytes(StandardCharsets.UTF_8)))
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("success", is(true));
    tracking(source.writeKey())
        .header("Content-Encoding", "gzip")
        .body(gzip(trackEventOfSize("gz-single", 300).getBytes(StandardCharsets.UTF_8)))
        .post("/v1/track")
        .then()
        .statusCode(200);
    Set<Object> stored =
        events(source.sourceId()).stream().map(e -> e.get("messageId")).collect(Collectors.toSet());
    assertEquals(Set.of("gz-0", "gz-1", "gz-single"), stored);
  }

  @Test
  void aGzipBodyUnder500KbDecompressedButLargeIsAccepted() {
    TestSource source = newSource();
    byte[] compressed =
        gzip(batchBodyOfSize(MAX_REQUEST_BYTES, "gz-exact-").getBytes(StandardCharsets.UTF_8));
    assertTrue(compressed.length < 20_000, "compresses well: " + compressed.length);
    tracking(source.writeKey())
        .header("Content-Encoding", "gzip")
        .body(compressed)
        .post("/v1/batch")
        .then()
        .statusCode(200);
    assertTrue(events(source.sourceId()).size() > 20);
  }

  @Test
  void aGzipBombIsRefusedWith413() {
    TestSource source = newSource();
    // 50 MB of zeros is about 50 KB compressed: a small request that must not be inflated in full.
    byte[] bomb = gzip(new byte[50 * 1024 * 1024]);
    assertTrue(bomb.length < 100_000, "bomb size " + bomb.length);
    tracking(source.writeKey())
        .header("Content-Encoding", "gzip")
        .body(bomb)
        .post("/v1/batch")
        .then()
        .statusCode(413)
        .contentType(ContentType.JSON)
        .body("code", is("request_too_large"));
    // Just over the limit after decompression, valid JSON: also refused.
    byte[] justOver =
        gzip(batchBodyOfSize(MAX_REQUEST_BYTES + 1, "gz-over-").getBytes(StandardCharsets.UTF_8));
    tracking(source.writeKey())
        .header("Content-Encoding", "gzip")
        .body(justOver)
        .post("/v1/batch")
        .then()
        .statusCode(413)
        .body("code", is("request_too_large"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void aBodyThatIsNotGzipButSaysSoIsInvalidGzip() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .header("Content-Encoding", "gzip")
        .body("{\"userId\":\"u\",\"event\":\"e\"}")
        .post("/v1/track")
        .then()
        .statusCode(400)
        .body("code", is("invalid_gzip"));
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @Test
  void anUnknownContentEncodingIs415() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .header("Content-Encoding", "br")
        .body(Map.of("userId", "u", "event", "e"))
        .post("/v1/track")
        .then()
        .statusCode(415)
        .body("code", is("unsupported_encoding"));
  }

  @Test
  void identityEncodingIsAccepted() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .header("Content-Encoding", "identity")
        .body(batchItem("track", "identity-encoded"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    assertEquals("identity-encoded", onlyEvent(source.sourceId()).get("messageId"));
  }
}
