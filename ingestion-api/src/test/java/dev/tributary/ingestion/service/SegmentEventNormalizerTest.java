package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.ingestion.config.IngestionConfig;
import dev.tributary.ingestion.config.TestIngestionConfig;
import dev.tributary.ingestion.service.SegmentEventNormalizer.Envelope;
import dev.tributary.ingestion.service.SegmentEventNormalizer.Result;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unit tests of Segment's per-event rules and the server-side timestamps (no Quarkus, no database).
 */
class SegmentEventNormalizerTest {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final UUID SOURCE = UUID.randomUUID();
  static final UUID WORKSPACE = UUID.randomUUID();
  static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00.500Z");

  static IngestionConfig limits(int maxEventBytes, int maxMessageIdLength) {
    return TestIngestionConfig.withLimits(maxEventBytes, maxMessageIdLength);
  }

  private final SegmentEventNormalizer normalizer =
      new SegmentEventNormalizer(MAPPER, limits(32 * 1024, 100));

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static Envelope single() {
    return new Envelope(SOURCE, WORKSPACE, RECEIVED, null, null, null, true);
  }

  static Envelope batch(String sentAt, String context, String integrations) {
    return new Envelope(
        SOURCE,
        WORKSPACE,
        RECEIVED,
        sentAt == null ? null : MAPPER.getNodeFactory().textNode(sentAt),
        context == null ? null : json(context),
        integrations == null ? null : json(integrations),
        true);
  }

  private Result normalize(String event, String pathType) {
    return normalizer.normalize(json(event), pathType, single());
  }

  private String reason(String event, String pathType) {
    Result result = normalize(event, pathType);
    assertFalse(result.isAccepted(), "expected a rejection of " + event);
    return result.reason().code();
  }

  private JsonNode stored(Result result) {
    assertTrue(result.isAccepted(), () -> "rejected: " + result.reason());
    try {
      return MAPPER.readTree(result.row().payload());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void effectiveTimestampWithoutClientTimestampIsReceivedAt() {
    assertEquals(RECEIVED, SegmentEventNormalizer.effectiveTimestamp(RECEIVED, null, null));
    assertEquals(
        RECEIVED,
        SegmentEventNormalizer.effectiveTimestamp(
            RECEIVED, null, Instant.parse("2020-01-01T00:00:00Z")));
  }

  @Test
  void effectiveTimestampWithoutSentAtIsTheClientTimestamp() {
    Instant original = Instant.parse("2025-06-01T11:00:00Z");
    assertEquals(original, SegmentEventNormalizer.effectiveTimestamp(RECEIVED, original, null));
  }

  @ParameterizedTest
  @CsvSource({
    // originalTimestamp,         sentAt,                     expected (receivedAt 12:00:00.500)
    "2025-06-01T11:59:50.000Z, 2025-06-01T12:00:00.000Z, 2025-06-01T11:59:50.500Z",
    "2030-01-01T00:00:00.000Z, 2030-01-01T00:00:01.250Z, 2025-06-01T11:59:59.250Z",
    "2020-01-01T00:00:00.000Z, 2020-01-01T00:00:00.000Z, 2025-06-01T12:00:00.500Z",
    "2025-06-01T12:00:05.000Z, 2025-06-01T12:00:00.000Z, 2025-06-01T12:00:05.500Z"
  })
  void effectiveTimestampCorrectsClockSkew(String original, String sentAt, String expected) {
    assertEquals(
        Instant.parse(expected),
        SegmentEventNormalizer.effectiveTimestamp(
            RECEIVED, Instant.parse(original), Instant.parse(sentAt)));
  }

  @Test
  void rulesPerCallType() {
    assertEquals("no_user_anon_id", reason("{\"event\":\"e\"}", "track"));
    assertEquals("no_user_anon_id", reason("{\"userId\":1,\"event\":\"e\"}", "track"));
    assertEquals("no_user_anon_id", reason("{\"userId\":\"\",\"anonymousId\":\"\"}", "identify"));
    assertEquals("event_not_defined", reason("{\"userId\":\"u\"}", "track"));
    assertEquals("group_id_not_defined", reason("{\"userId\":\"u\"}", "group"));
    assertEquals("previous_id_not_defined", reason("{\"userId\":\"u\"}", "alias"));
    assertEquals(
        "user_id_not_defined", reason("{\"anonymousId\":\"a\",\"previousId\":\"p\"}", "alias"));
    assertEquals("properties_not_object", reason("{\"userId\":\"u\",\"properties\":[]}", "page"));
    assertEquals("traits_not_object", reason("{\"userId\":\"u\",\"traits\":\"x\"}", "identify"));
    assertEquals("context_not_object", reason("{\"userId\":\"u\",\"context\":1}", "screen"));
    assertEquals(
        "integrations_not_object", reason("{\"userId\":\"u\",\"integrations\":[]}", "screen"));
    assertEquals("message_id_not_string", reason("{\"userId\":\"u\",\"messageId\":5}", "page"));
    assertEquals(
        "message_id_too_long",
        reason("{\"userId\":\"u\",\"messageId\":\"" + "m".repeat(101) + "\"}", "page"));
    assertEquals(
        "invalid_timestamp", reason("{\"userId\":\"u\",\"timestamp\":\"2025-06-01\"}", "page"));
    assertEquals("invalid_timestamp", reason("{\"userId\":\"u\",\"timestamp\":123}", "page"));
    assertEquals("invalid_timestamp", reason("{\"userId\":\"u\",\"sentAt\":\"soon\"}", "page"));
  }

  /**
   * Found by SegmentEventNormalizerFuzzTest: a year PostgreSQL cannot store failed the whole
   * request's insert (400 unstorable_event, every valid item of a batch lost with it), and one far
   * enough apart from sentAt overflowed the clock-skew correction (503, retried for ever).
   */
  @ParameterizedTest
  @CsvSource({
    "+999999999-12-31T23:59:59Z,",
    "-4713-11-23T23:59:59Z,",
    "+294277-01-01T00:00:00Z,",
    "-999999999-01-01T00:00:00Z,+999999999-12-31T23:59:59Z",
    "-4000-01-01T00:00:00Z,+290000-01-01T00:00:00Z",
  })
  void timestampsPostgresqlCannotStoreAreInvalid(String timestamp, String sentAt) {
    ObjectNode event = json("{\"userId\":\"u\",\"event\":\"e\"}");
    event.put("timestamp", timestamp);
    if (sentAt != null) {
      event.put("sentAt", sentAt);
    }
    Result result = normalizer.normalize(event, "track", single());
    assertFalse(result.isAccepted());
    assertEquals(DiscardReason.INVALID_TIMESTAMP, result.reason());
  }

  @Test
  void theEdgesOfPostgresqlsRangeAreStored() {
    assertTrue(
        normalize("{\"userId\":\"u\",\"timestamp\":\"-4712-11-24T00:00:00Z\"}", "page")
            .isAccepted());
    assertTrue(
        normalize("{\"userId\":\"u\",\"timestamp\":\"+294276-12-31T23:59:59Z\"}", "page")
            .isAccepted());
  }

  @Test
  void batchItemsNeedAKnownType() {
    Envelope envelope = batch(null, null, null);
    assertEquals(
        "invalid_type",
        normalizer.normalize(json("{\"userId\":\"u\"}"), null, envelope).reason().code());
    assertEquals(
        "invalid_type",
        normalizer
            .normalize(json("{\"userId\":\"u\",\"type\":\"purchase\"}"), null, envelope)
            .reason()
            .code());
    assertEquals(
        "event_not_object",
        normalizer
            .normalize(MAPPER.getNodeFactory().textNode("x"), null, envelope)
            .reason()
            .code());
    assertTrue(
        normalizer
            .normalize(json("{\"userId\":\"u\",\"type\":\"page\"}"), null, envelope)
            .isAccepted());
  }

  @Test
  void theRejectionCarriesTheClientsMessageId() {
    Result result = normalize("{\"messageId\":\"mine\",\"event\":\"e\"}", "track");
    assertEquals("mine", result.messageId());
  }

  @Test
  void anAcceptedEventIsNormalised() {
    Result result =
        normalize(
            "{\"userId\":\"u\",\"event\":\"Signed Up\",\"writeKey\":\"secret\",\"messageId\":\"m-1\","
                + "\"timestamp\":\"2025-06-01T13:59:50+02:00\",\"sentAt\":\"2025-06-01T14:00:00+0200\"}",
            "track");
    JsonNode event = stored(result);
    assertEquals(SOURCE, result.row().sourceId());
    assertEquals(WORKSPACE, result.row().workspaceId());
    assertEquals("m-1", result.row().messageId());
    assertEquals("track", result.row().type());
    assertEquals(RECEIVED, result.row().receivedAt());
    assertEquals(Instant.parse("2025-06-01T11:59:50.500Z"), result.row().timestamp());
    assertFalse(event.has("writeKey"), "the write key is never stored");
    assertEquals("track", event.get("type").asText());
    assertEquals("m-1", event.get("messageId").asText());
    assertEquals(RECEIVED, Instant.parse(event.get("receivedAt").asText()));
    assertEquals(result.row().timestamp(), Instant.parse(event.get("timestamp").asText()));
    assertEquals(
        Instant.parse("2025-06-01T11:59:50Z"),
        Instant.parse(event.get("originalTimestamp").asText()));
    assertEquals(
        Instant.parse("2025-06-01T12:00:00Z"), Instant.parse(event.get("sentAt").asText()));
  }

  @Test
  void aMissingOrEmptyMessageIdIsGenerated() {
    for (String event :
        new String[] {
          "{\"userId\":\"u\"}",
          "{\"userId\":\"u\",\"messageId\":\"\"}",
          "{\"userId\":\"u\",\"messageId\":null}"
        }) {
      Result result = normalize(event, "identify");
      String id = result.row().messageId();
      assertEquals(id, UUID.fromString(id).toString());
      assertEquals(id, stored(result).get("messageId").asText());
    }
  }

  @Test
  void batchSentAtAppliesUnlessTheItemHasItsOwn() {
    Envelope envelope = batch("2025-06-01T10:00:10Z", null, null);
    Result inherits =
        normalizer.normalize(
            json(
                "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"2025-06-01T10:00:00Z\"}"),
            null,
            envelope);
    assertEquals(RECEIVED.minusSeconds(10), inherits.row().timestamp());
    Result own =
        normalizer.normalize(
            json(
                "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"2025-06-01T10:00:00Z\",\"sentAt\":\"2025-06-01T10:00:03Z\"}"),
            null,
            envelope);
    assertEquals(RECEIVED.minusSeconds(3), own.row().timestamp());
  }

  @Test
  void batchContextAndIntegrationsMergeWithTheItemWinning() {
    Envelope envelope = batch(null, "{\"ip\":\"1.1.1.1\",\"locale\":\"en\"}", "{\"All\":false}");
    JsonNode merged =
        stored(
            normalizer.normalize(
                json(
                    "{\"type\":\"identify\",\"userId\":\"u\",\"context\":{\"ip\":\"2.2.2.2\"},\"integrations\":{\"Amplitude\":true}}"),
                null,
                envelope));
    assertEquals("2.2.2.2", merged.get("context").get("ip").asText());
    assertEquals("en", merged.get("context").get("locale").asText());
    assertFalse(merged.get("integrations").get("All").asBoolean());
    assertTrue(merged.get("integrations").get("Amplitude").asBoolean());
    JsonNode plain =
        stored(
            normalizer.normalize(json("{\"type\":\"identify\",\"userId\":\"u\"}"), null, envelope));
    assertEquals("1.1.1.1", plain.get("context").get("ip").asText());
  }

  @Test
  void theBatchDefaultsAreNotSharedBetweenItems() {
    Envelope envelope = batch(null, "{\"ip\":\"1.1.1.1\"}", null);
    stored(
        normalizer.normalize(
            json("{\"type\":\"identify\",\"userId\":\"u\",\"context\":{\"ip\":\"2.2.2.2\"}}"),
            null,
            envelope));
    assertEquals(
        "1.1.1.1",
        envelope.batchContext().get("ip").asText(),
        "an item must not change the batch's context");
  }

  @Test
  void eventSizeIsCheckedOnlyWhenAsked() {
    SegmentEventNormalizer small = new SegmentEventNormalizer(MAPPER, limits(50, 100));
    ObjectNode big = json("{\"userId\":\"u\",\"event\":\"" + "e".repeat(100) + "\"}");
    Result measured =
        small.normalize(
            big.deepCopy(),
            "track",
            new Envelope(SOURCE, WORKSPACE, RECEIVED, null, null, null, true));
    assertEquals("event_too_large", measured.reason().code());
    Result unmeasured =
        small.normalize(
            big.deepCopy(),
            "track",
            new Envelope(SOURCE, WORKSPACE, RECEIVED, null, null, null, false));
    assertTrue(unmeasured.isAccepted());
  }

  @Test
  void nullOptionalFieldsAreFine() {
    Result result =
        normalize(
            "{\"userId\":\"u\",\"properties\":null,\"context\":null,\"timestamp\":null,\"sentAt\":null}",
            "page");
    JsonNode event = stored(result);
    assertNotNull(event.get("timestamp"));
    assertNull(event.get("originalTimestamp"));
    assertEquals(RECEIVED, result.row().timestamp());
  }
}
