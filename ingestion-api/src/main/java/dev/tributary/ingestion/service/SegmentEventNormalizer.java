package dev.tributary.ingestion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.ingestion.config.IngestionConfig;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Segment's validation and normalisation rules for one event: the required identifiers per call
 * type, object-typed fields, messageId, and the server-side timestamps (receivedAt, clock-skew
 * corrected timestamp). Pure apart from the ObjectMapper: the caller supplies "now".
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class SegmentEventNormalizer {

  public static final Set<String> TYPES =
      Set.of("identify", "track", "page", "screen", "group", "alias");

  /**
   * PostgreSQL's timestamptz range (4713 BC to 294276 AD): an instant outside it would fail the
   * whole request's insert, so the one event is discarded instead.
   */
  static final Instant EARLIEST_STORABLE = Instant.parse("-4712-11-24T00:00:00Z");

  static final Instant LATEST_STORABLE = Instant.parse("+294276-12-31T23:59:59.999999Z");

  /** How Jackson writes NUL, which PostgreSQL cannot store. */
  private static final byte[] NUL_ESCAPE = "\\u0000".getBytes(StandardCharsets.US_ASCII);

  private final ObjectMapper mapper;
  private final IngestionConfig.Limits limits;

  public SegmentEventNormalizer(ObjectMapper mapper, IngestionConfig config) {
    this.mapper = mapper;
    this.limits = config.limits();
  }

  /** What the caller of one event knows beyond the event itself. */
  public record Envelope(
      UUID sourceId,
      UUID workspaceId,
      Instant receivedAt,
      JsonNode batchSentAt,
      JsonNode batchContext,
      JsonNode batchIntegrations,
      boolean measureSize) {}

  /** Either a row to store or the reason the event is discarded. */
  public record Result(EventRow row, DiscardReason reason, String messageId) {
    static Result accepted(EventRow row) {
      return new Result(row, null, row.messageId());
    }

    static Result rejected(DiscardReason reason, String messageId) {
      return new Result(null, reason, messageId);
    }

    public boolean isAccepted() {
      return row != null;
    }
  }

  /**
   * Validates and normalises {@code node}. {@code pathType} is the call type given by the URL
   * (single-event calls) or null (batch items carry their own type).
   */
  public Result normalize(JsonNode node, String pathType, Envelope envelope) {
    if (!(node instanceof ObjectNode event)) {
      return Result.rejected(DiscardReason.EVENT_NOT_OBJECT, null);
    }
    JsonNode messageIdNode = event.get("messageId");
    String clientMessageId =
        messageIdNode != null && messageIdNode.isTextual() ? messageIdNode.asText() : null;
    if (envelope.measureSize() && serializedSize(event) > limits.maxEventBytes()) {
      return Result.rejected(DiscardReason.EVENT_TOO_LARGE, clientMessageId);
    }
    String type = pathType != null ? pathType : textOrNull(event.get("type"));
    if (type == null || !TYPES.contains(type)) {
      return Result.rejected(DiscardReason.INVALID_TYPE, clientMessageId);
    }
    DiscardReason invalid = firstRuleBroken(event, type);
    if (invalid != null) {
      return Result.rejected(invalid, clientMessageId);
    }
    if (messageIdNode != null && !messageIdNode.isNull() && !messageIdNode.isTextual()) {
      return Result.rejected(DiscardReason.MESSAGE_ID_NOT_STRING, null);
    }
    if (clientMessageId != null && clientMessageId.length() > limits.maxMessageIdLength()) {
      return Result.rejected(DiscardReason.MESSAGE_ID_TOO_LONG, null);
    }
    String messageId =
        clientMessageId == null || clientMessageId.isEmpty()
            ? UUID.randomUUID().toString()
            : clientMessageId;

    Instant receivedAt = envelope.receivedAt();
    Instant originalTimestamp;
    Instant sentAt;
    try {
      originalTimestamp = instantOrNull(event.get("timestamp"));
      JsonNode sentAtNode =
          event.hasNonNull("sentAt") ? event.get("sentAt") : envelope.batchSentAt();
      sentAt = instantOrNull(sentAtNode);
    } catch (DateTimeParseException e) {
      return Result.rejected(DiscardReason.INVALID_TIMESTAMP, messageId);
    }
    // Both inputs are storable, so the correction cannot overflow; its result may still fall
    // outside the range (an old timestamp with a far-future sentAt).
    Instant timestamp = effectiveTimestamp(receivedAt, originalTimestamp, sentAt);
    if (!isStorable(timestamp)) {
      return Result.rejected(DiscardReason.INVALID_TIMESTAMP, messageId);
    }

    mergeDefaults(event, "context", envelope.batchContext());
    mergeDefaults(event, "integrations", envelope.batchIntegrations());
    // The write key is a secret: it authenticates the call and is never stored with the event.
    event.remove("writeKey");
    event.put("type", type);
    event.put("messageId", messageId);
    event.put("receivedAt", SegmentTimestamps.format(receivedAt));
    event.put("timestamp", SegmentTimestamps.format(timestamp));
    if (originalTimestamp != null) {
      event.put("originalTimestamp", SegmentTimestamps.format(originalTimestamp));
    }
    if (sentAt != null) {
      event.put("sentAt", SegmentTimestamps.format(sentAt));
    }
    byte[] payload;
    try {
      payload = mapper.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree must serialise", e);
    }
    // PostgreSQL's text cannot hold NUL: json would store the escape Jackson writes for it, which
    // ->> (the regulations' lookups) then refuses to read. The tree walk runs only when the escape
    // appears, and tells it from an escaped backslash followed by "u0000".
    if (containsAscii(payload, NUL_ESCAPE) && containsNul(event)) {
      return Result.rejected(DiscardReason.INVALID_CHARACTER, null);
    }
    return Result.accepted(
        new EventRow(
            envelope.sourceId(),
            messageId,
            envelope.workspaceId(),
            type,
            receivedAt,
            timestamp,
            payload));
  }

  /**
   * Segment's clock-skew correction: the client's clock is off by (sentAt - receivedAt), so the
   * event happened at {@code receivedAt - (sentAt - originalTimestamp)}.
   */
  static Instant effectiveTimestamp(Instant receivedAt, Instant originalTimestamp, Instant sentAt) {
    if (originalTimestamp == null) {
      return receivedAt;
    }
    if (sentAt == null) {
      return originalTimestamp;
    }
    return receivedAt.minusMillis(sentAt.toEpochMilli() - originalTimestamp.toEpochMilli());
  }

  private static DiscardReason firstRuleBroken(ObjectNode event, String type) {
    if (!isNonEmptyText(event.get("userId")) && !isNonEmptyText(event.get("anonymousId"))) {
      return DiscardReason.NO_USER_ANON_ID;
    }
    switch (type) {
      case "track" -> {
        if (!isNonEmptyText(event.get("event"))) return DiscardReason.EVENT_NOT_DEFINED;
      }
      case "group" -> {
        if (!isNonEmptyText(event.get("groupId"))) return DiscardReason.GROUP_ID_NOT_DEFINED;
      }
      case "alias" -> {
        if (!isNonEmptyText(event.get("previousId"))) return DiscardReason.PREVIOUS_ID_NOT_DEFINED;
        if (!isNonEmptyText(event.get("userId"))) return DiscardReason.USER_ID_NOT_DEFINED;
      }
      default -> {}
    }
    if (!isObjectOrAbsent(event.get("properties"))) return DiscardReason.PROPERTIES_NOT_OBJECT;
    if (!isObjectOrAbsent(event.get("traits"))) return DiscardReason.TRAITS_NOT_OBJECT;
    if (!isObjectOrAbsent(event.get("context"))) return DiscardReason.CONTEXT_NOT_OBJECT;
    if (!isObjectOrAbsent(event.get("integrations"))) return DiscardReason.INTEGRATIONS_NOT_OBJECT;
    return null;
  }

  /** Batch-level context/integrations apply to every item; the item's own keys win. */
  private static void mergeDefaults(ObjectNode event, String field, JsonNode defaults) {
    if (!(defaults instanceof ObjectNode defaultObject) || defaultObject.isEmpty()) {
      return;
    }
    JsonNode own = event.get(field);
    ObjectNode merged = defaultObject.deepCopy();
    if (own instanceof ObjectNode ownObject) {
      Iterator<Map.Entry<String, JsonNode>> fields = ownObject.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        merged.set(entry.getKey(), entry.getValue());
      }
    }
    event.set(field, merged);
  }

  /** Whether {@code needle}, ASCII, occurs in the UTF-8 {@code bytes}. */
  private static boolean containsAscii(byte[] bytes, byte[] needle) {
    outer:
    for (int i = 0; i <= bytes.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean containsNul(JsonNode node) {
    if (node.isTextual()) {
      return node.asText().indexOf('\0') >= 0;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().indexOf('\0') >= 0 || containsNul(field.getValue())) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        if (containsNul(element)) {
          return true;
        }
      }
    }
    return false;
  }

  private int serializedSize(ObjectNode event) {
    try {
      return mapper.writeValueAsBytes(event).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree must serialise", e);
    }
  }

  private static boolean isNonEmptyText(JsonNode node) {
    return node != null && node.isTextual() && !node.asText().isEmpty();
  }

  private static boolean isObjectOrAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isObject();
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static Instant instantOrNull(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new DateTimeParseException("not a string", node.toString(), 0);
    }
    Instant instant = SegmentTimestamps.parse(node.asText());
    if (!isStorable(instant)) {
      throw new DateTimeParseException("outside PostgreSQL's range", node.asText(), 0);
    }
    return instant;
  }

  private static boolean isStorable(Instant instant) {
    return !instant.isBefore(EARLIEST_STORABLE) && !instant.isAfter(LATEST_STORABLE);
  }
}
