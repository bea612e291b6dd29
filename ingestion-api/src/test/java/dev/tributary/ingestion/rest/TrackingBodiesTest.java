package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.onlyEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.RawHttp;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.RawHttp.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies as the libraries send them: JSON under any of the media types they use (or none), plain or
 * gzipped, with a length or in chunked transfer encoding. Only other media types are refused.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TrackingBodiesTest {

  private static String trackBody(String messageId) {
    return "{\"userId\":\"u-1\",\"event\":\"Bodies Tested\",\"messageId\":\"" + messageId + "\"}";
  }

  private static String batchBody(String... messageIds) {
    return "{\"batch\":["
        + java.util.Arrays.stream(messageIds)
            .map(
                id ->
                    "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":\"E\",\"messageId\":\""
                        + id
                        + "\"}")
            .collect(Collectors.joining(","))
        + "]}";
  }

  private static Map<String, String> headers(TestSource source, String contentType) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", basic(source.writeKey(), true));
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return headers;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "text/plain",
        "text/plain;charset=UTF-8",
        "text/plain; charset=utf-8"
      })
  void jsonUnderEveryMediaTypeTheLibrariesUseIsStored(String contentType) {
    TestSource source = newSource();
    Answer answer = RawHttp.post("/v1/t", headers(source, contentType), trackBody("mt-1"));
    assertEquals(200, answer.status(), answer.body());
    assertEquals("{\"success\":true}", answer.body());
    assertEquals("mt-1", onlyEvent(source.sourceId()).get("messageId"));
  }

  @Test
  void aBodyWithoutContentTypeIsReadAsJson() {
    TestSource source = newSource();
    Answer answer = RawHttp.post("/v1/batch", headers(source, null), batchBody("none-1", "none-2"));
    assertEquals(200, answer.status(), answer.body());
    assertEquals(2, events(source.sourceId()).size());
  }

  @Test
  void aChunkedBodyIsStored() {
    TestSource source = newSource();
    Answer answer =
        RawHttp.send(
            "POST",
            "/v1/b",
            headers(source, "text/plain"),
            batchBody("chunk-1", "chunk-2", "chunk-3").getBytes(StandardCharsets.UTF_8),
            true);
    assertEquals(200, answer.status(), answer.body());
    assertEquals(
        Set.of("chunk-1", "chunk-2", "chunk-3"),
        events(source.sourceId()).stream()
            .map(e -> e.get("messageId"))
            .collect(Collectors.toSet()));
  }

  @Test
  void aGzippedChunkedBodyWithoutContentTypeIsStored() {
    // Kotlin gzips in chunked encoding; C# gzips without a Content-Type.
    TestSource source = newSource();
    Map<String, String> headers = headers(source, null);
    headers.put("Content-Encoding", "gzip");
    Answer answer =
        RawHttp.send("POST", "/v1/b", headers, RawHttp.gzip(batchBody("gz-1", "gz-2")), true);
    assertEquals(200, answer.status(), answer.body());
    assertEquals(2, events(source.sourceId()).size());
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedAndNothingIsStored() {
    TestSource source = newSource();
    String padding = "x".repeat(600_000);
    String body = "{\"userId\":\"u\",\"event\":\"big\",\"properties\":{\"p\":\"" + padding + "\"}}";
    Answer answer =
        RawHttp.send(
            "POST",
            "/v1/track",
            headers(source, "application/json"),
            body.getBytes(StandardCharsets.UTF_8),
            true);
    assertEquals(413, answer.status(), answer.body());
    assertTrue(answer.body().contains("request_too_large"), answer.body());
    assertTrue(events(source.sourceId()).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "text/html", "application/xml", "*/*"})
  void theAnswerIsJsonWhateverTheClientAccepts(String accept) {
    // C# sends Accept: text/plain and deletes a batch answered with a 4xx such as 406.
    TestSource source = newSource();
    Map<String, String> headers = headers(source, "application/json");
    headers.put("Accept", accept);
    Answer answer = RawHttp.post("/v1/b", headers, batchBody("accept-1"));
    assertEquals(200, answer.status(), answer.body());
    assertEquals("{\"success\":true}", answer.body());
    assertTrue(answer.header("Content-Type").startsWith("application/json"));
    Answer error = RawHttp.post("/v1/b", headers, "{\"batch\":[]}");
    assertEquals(400, error.status());
    assertTrue(error.body().contains("\"code\":\"batch_empty\""), error.body());
    Answer settings =
        RawHttp.send(
            "GET",
            "/v1/projects/" + source.writeKey() + "/settings",
            Map.of("Accept", accept),
            null,
            false);
    assertEquals(200, settings.status(), settings.body());
    assertTrue(settings.header("Content-Type").startsWith("application/json"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/html",
        "application/xml"
      })
  void otherMediaTypesAreUnsupported(String contentType) {
    TestSource source = newSource();
    Answer answer = RawHttp.post("/v1/track", headers(source, contentType), trackBody("no-1"));
    assertEquals(415, answer.status());
    assertTrue(answer.body().contains("\"code\":\"unsupported_media_type\""), answer.body());
    assertTrue(events(source.sourceId()).isEmpty());
  }
}
