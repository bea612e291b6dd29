package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.basic;
import static dev.tributary.ingestion.Accounts.events;
import static dev.tributary.ingestion.Accounts.library;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.RawHttp;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.RawHttp.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The libraries this machine cannot run (Swift, React Native, C#, Python, Go, Ruby, PHP, classic
 * analytics.js), replayed request by request as their source writes them: paths, headers (or their
 * absence), encodings, body layout, timestamp and id formats. The requests are in {@code
 * src/test/resources/wire-shapes/<library>.http} (requests separated by {@code ###}; {@code # send:
 * gzip} gzips the body; {@code {{writeKey}}} and {@code {{basicAuth}}} are filled in).
 *
 * <p>What each library relies on is checked too: success is exactly {@code 200} with a JSON object
 * (Python and PHP retry anything else, Ruby parses every body), a retry after a lost answer is
 * stored once, and every event keeps what the library sent.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LibraryWireShapesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request of a fixture, with the fixture's directives. */
  record LibraryRequest(
      String method,
      String path,
      Map<String, String> headers,
      String body,
      boolean gzip,
      String library) {

    Answer send() {
      byte[] bytes = gzip ? RawHttp.gzip(body) : body.getBytes(StandardCharsets.UTF_8);
      return RawHttp.send(method, path, headers, bytes, false);
    }

    /** The events it carries: the batch's items, or the one event of a single call. */
    List<JsonNode> events() {
      try {
        JsonNode json = JSON.readTree(body);
        List<JsonNode> events = new ArrayList<>();
        (json.has("batch") ? json.get("batch") : JSON.createArrayNode().add(json))
            .forEach(events::add);
        return events;
      } catch (IOException e) {
        throw new UncheckedIOException("a fixture's body is not JSON: " + path, e);
      }
    }
  }

  static List<LibraryRequest> fixture(String name, TestSource source) {
    String text;
    try (InputStream in =
        LibraryWireShapesTest.class.getResourceAsStream("/wire-shapes/" + name + ".http")) {
      assertNotNull(in, "no fixture " + name);
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    text =
        text.replace("{{writeKey}}", source.writeKey())
            .replace("{{basicAuth}}", basic(source.writeKey(), true));
    Map<String, String> directives = new LinkedHashMap<>();
    List<LibraryRequest> requests = new ArrayList<>();
    for (String part : text.split("\n###\n")) {
      String[] lines = part.split("\n", -1);
      int line = 0;
      while (lines[line].startsWith("#") || lines[line].isBlank()) {
        String comment = lines[line].replaceFirst("^#\\s*", "");
        int colon = comment.indexOf(": ");
        if (colon > 0 && !comment.substring(0, colon).contains(" ")) {
          directives.put(comment.substring(0, colon), comment.substring(colon + 2).strip());
        }
        line++;
      }
      String[] requestLine = lines[line++].split(" ");
      Map<String, String> headers = new LinkedHashMap<>();
      for (; !lines[line].isEmpty(); line++) {
        int colon = lines[line].indexOf(':');
        headers.put(lines[line].substring(0, colon), lines[line].substring(colon + 1).strip());
      }
      String body = String.join("\n", List.of(lines).subList(line + 1, lines.length));
      requests.add(
          new LibraryRequest(
              requestLine[0],
              requestLine[1],
              headers,
              body,
              "gzip".equals(directives.get("send")),
              directives.get("library")));
    }
    return requests;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "swift",
        "react-native",
        "csharp",
        "python",
        "go",
        "ruby",
        "php",
        "analytics-js-classic"
      })
  void eachLibrarysRequestsAreAnsweredAsItExpectsAndStoredOnce(String library) {
    TestSource source = newSource();
    List<LibraryRequest> requests = fixture(library, source);
    List<JsonNode> sent = new ArrayList<>();
    for (LibraryRequest request : requests) {
      Answer answer = request.send();
      assertEquals(200, answer.status(), request.path() + ": " + answer.body());
      assertEquals("{\"success\":true}", answer.body());
      assertTrue(answer.header("Content-Type").startsWith("application/json"));
      String origin = request.headers().get("Origin");
      if (origin != null) {
        assertEquals(origin, answer.header("Access-Control-Allow-Origin"));
      }
      sent.addAll(request.events());
    }

    // A library that lost the answer sends the same request again: acknowledged, stored once.
    for (LibraryRequest request : requests) {
      assertEquals(200, request.send().status());
    }

    List<Map<String, Object>> stored = events(source.sourceId());
    assertEquals(sent.size(), stored.size(), "each event exactly once");
    Map<Object, Map<String, Object>> byId =
        stored.stream().collect(Collectors.toMap(e -> e.get("messageId"), Function.identity()));
    String path = requests.get(0).path();
    for (JsonNode event : sent) {
      String messageId = event.get("messageId").asText();
      Map<String, Object> row = byId.get(messageId);
      assertNotNull(row, library + " event " + messageId + " not stored");
      assertEquals(event.get("type").asText(), row.get("type"), messageId);
      Map<String, Object> json = payload(row);
      // The library's own timestamp, whatever its format, is the instant it meant.
      Instant meant = OffsetDateTime.parse(event.get("timestamp").asText()).toInstant();
      assertEquals(meant, Instant.parse((String) json.get("originalTimestamp")), messageId);
      assertEquals(requests.get(0).library(), library(json).get("name"), "context of " + messageId);
      assertFalse(json.containsKey("writeKey"), "no write key stored (" + path + ")");
    }
  }

  @Test
  void phpsEscapesAndCsharpsNullsAreStoredAsTheJsonTheyMean() {
    TestSource source = newSource();
    fixture("php", source).forEach(LibraryRequest::send);
    Map<String, Object> track =
        events(source.sourceId()).stream()
            .filter(e -> e.get("messageId").equals("3b8e1f4a-9c2d-4e7b-a6f0-1d5c8e2b9a74"))
            .findFirst()
            .map(e -> payload(e))
            .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) track.get("properties");
    assertEquals("https://shop.example.com/café", properties.get("url"));

    TestSource csharp = newSource();
    fixture("csharp", csharp).forEach(LibraryRequest::send);
    Map<String, Object> page =
        events(csharp.sourceId()).stream()
            .filter(e -> e.get("type").equals("page"))
            .findFirst()
            .map(e -> payload(e))
            .orElseThrow();
    assertTrue(page.containsKey("userId") && page.get("userId") == null, page.toString());
    assertEquals("feb3a847-1bdf-4988-a677-f44fb5790caa", page.get("anonymousId"));
  }

  @Test
  void goesBatchContextReachesEveryEvent() {
    TestSource source = newSource();
    fixture("go", source).forEach(LibraryRequest::send);
    for (Map<String, Object> event : events(source.sourceId())) {
      assertEquals(Map.of("name", "analytics-go", "version", "3.0.0"), library(payload(event)));
    }
  }

  @Test
  void anErrorIsJsonWithCodeAndMessageSoPythonAndRubyDropItInsteadOfRetrying() {
    TestSource source = newSource();
    LibraryRequest python = fixture("python", source).get(0);
    String allInvalid =
        "{\"batch\": [{\"type\": \"track\", \"userId\": \"u\"}], \"writeKey\": \""
            + source.writeKey()
            + "\"}";
    Answer answer =
        new LibraryRequest("POST", python.path(), python.headers(), allInvalid, false, null).send();
    assertEquals(400, answer.status());
    JsonNode body;
    try {
      body = JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals("no_valid_events", body.get("code").asText());
    assertFalse(body.get("message").asText().isEmpty());
    assertTrue(events(source.sourceId()).isEmpty());
  }
}
