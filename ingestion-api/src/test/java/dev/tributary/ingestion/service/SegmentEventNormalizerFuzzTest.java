package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.ingestion.ServiceJson;
import dev.tributary.ingestion.config.TestIngestionConfig;
import dev.tributary.ingestion.service.SegmentEventNormalizer.Envelope;
import dev.tributary.ingestion.service.SegmentEventNormalizer.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Coverage-guided fuzzing of Segment's per-event rules ({@link SegmentEventNormalizer}) on any body
 * the decoder accepts, fed to it as {@link TrackingService} does: a single call with the type of
 * its path, or every item of a batch with the batch's sentAt, context and integrations. Run over
 * the committed corpus in every build; {@code scripts/fuzz.sh} fuzzes it.
 */
class SegmentEventNormalizerFuzzTest {

  static final ObjectMapper MAPPER = ServiceJson.MAPPER;
  static final UUID SOURCE = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  static final UUID WORKSPACE = UUID.fromString("00000000-0000-0000-0000-00000000000b");
  static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00.500Z");

  /** PostgreSQL's timestamptz range: 4713-11-24 BC (ISO year -4712) to 294276 AD. */
  static final Instant EARLIEST_STORABLE = Instant.parse("-4712-11-24T00:00:00Z");

  static final Instant LATEST_STORABLE = Instant.parse("+294276-12-31T23:59:59.999999Z");

  private final SegmentEventNormalizer normalizer =
      new SegmentEventNormalizer(MAPPER, TestIngestionConfig.withLimits(32_768, 100));

  /**
   * Normalising is total: every event is accepted or discarded with a {@link DiscardReason}, never
   * an exception. An accepted row is storable (valid JSON without NUL, no write key, timestamps in
   * PostgreSQL's range) and re-validates: normalising the stored JSON again (without its sentAt,
   * which would correct the corrected timestamp once more) accepts it with the same messageId and
   * type, and where the clock-skew correction does not apply (an original timestamp and no sentAt)
   * it is a fixed point.
   */
  @FuzzTest
  void normalizeBody(byte[] body) throws IOException {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      return; // refused by the decoder: RequestBodiesFuzzTest's property
    }
    if (!(json instanceof ObjectNode request)) {
      return; // 400 invalid_body before any event rule
    }
    boolean batch = request.get("batch") instanceof ArrayNode;
    List<JsonNode> events = new ArrayList<>();
    String pathType = null;
    if (batch) {
      request.get("batch").forEach(events::add);
    } else {
      events.add(request);
      JsonNode type = request.get("type");
      pathType =
          type != null && SegmentEventNormalizer.TYPES.contains(type.asText())
              ? type.asText()
              : "track";
    }
    Envelope envelope =
        new Envelope(
            SOURCE,
            WORKSPACE,
            RECEIVED,
            batch ? request.get("sentAt") : null,
            batch ? request.get("context") : null,
            batch ? request.get("integrations") : null,
            body.length > 32_768);
    for (JsonNode event : events) {
      Result result = normalizer.normalize(event, pathType, envelope);
      if (result.isAccepted()) {
        assertStorableAndStable(result);
      } else {
        assertNotNull(result.reason());
        assertNull(result.row());
      }
    }
  }

  private void assertStorableAndStable(Result result) throws IOException {
    EventRow row = result.row();
    JsonNode stored = MAPPER.readTree(row.payload());
    assertTrue(stored.isObject(), () -> new String(row.payload(), StandardCharsets.UTF_8));
    assertFalse(stored.has("writeKey"), "the write key is stored");
    assertFalse(containsNul(stored), "NUL in an accepted event");
    assertEquals(row.type(), stored.get("type").asText());
    assertEquals(row.messageId(), stored.get("messageId").asText());
    assertEquals(row.timestamp().toString(), stored.get("timestamp").asText());
    assertStorable(row.timestamp());
    assertStorable(row.receivedAt());

    // The stored timestamp is already corrected for clock skew; with the stored sentAt it would
    // be corrected again (a fuzzed sentAt 4,000 years ahead pushed it out of range), so the
    // event re-validates without it.
    Envelope again = new Envelope(SOURCE, WORKSPACE, RECEIVED, null, null, null, false);
    ObjectNode copy = stored.deepCopy();
    copy.remove("sentAt");
    Result renormalized = normalizer.normalize(copy, null, again);
    assertTrue(
        renormalized.isAccepted(), () -> "the stored event is discarded: " + renormalized.reason());
    assertEquals(row.messageId(), renormalized.messageId());
    assertEquals(row.type(), renormalized.row().type());
    if (stored.hasNonNull("originalTimestamp") && !stored.hasNonNull("sentAt")) {
      assertEquals(stored, MAPPER.readTree(renormalized.row().payload()));
    }
  }

  private static void assertStorable(Instant instant) {
    assertFalse(
        instant.isBefore(EARLIEST_STORABLE) || instant.isAfter(LATEST_STORABLE),
        () -> instant + " is outside PostgreSQL's timestamptz range");
  }

  private static boolean containsNul(JsonNode node) {
    if (node.isTextual()) {
      return node.asText().indexOf('\0') >= 0;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().indexOf('\0') >= 0 || containsNul(field.getValue())) {
        return true;
      }
    }
    for (JsonNode element : node) {
      if (node.isArray() && containsNul(element)) {
        return true;
      }
    }
    return false;
  }
}
