package dev.tributary.ingestion.service;

/**
 * Why an event is not accepted, named as Segment names its discard reasons so that existing tooling
 * and runbooks read the same words.
 */
public enum DiscardReason {
  EVENT_NOT_OBJECT("event_not_object", "each event must be a JSON object"),
  INVALID_TYPE("invalid_type", "type must be one of identify, track, page, screen, group, alias"),
  NO_USER_ANON_ID(
      "no_user_anon_id", "userId or anonymousId is required and must be a non-empty string"),
  EVENT_NOT_DEFINED("event_not_defined", "track calls need an event name (a non-empty string)"),
  GROUP_ID_NOT_DEFINED("group_id_not_defined", "group calls need a groupId (a non-empty string)"),
  PREVIOUS_ID_NOT_DEFINED(
      "previous_id_not_defined", "alias calls need a previousId (a non-empty string)"),
  USER_ID_NOT_DEFINED("user_id_not_defined", "alias calls need a userId (a non-empty string)"),
  PROPERTIES_NOT_OBJECT("properties_not_object", "properties must be a JSON object"),
  TRAITS_NOT_OBJECT("traits_not_object", "traits must be a JSON object"),
  CONTEXT_NOT_OBJECT("context_not_object", "context must be a JSON object"),
  INTEGRATIONS_NOT_OBJECT("integrations_not_object", "integrations must be a JSON object"),
  MESSAGE_ID_NOT_STRING("message_id_not_string", "messageId must be a string"),
  MESSAGE_ID_TOO_LONG("message_id_too_long", "messageId must be at most 100 characters"),
  INVALID_CHARACTER("invalid_character", "strings must not contain the NUL character (\\u0000)"),
  INVALID_TIMESTAMP(
      "invalid_timestamp",
      "timestamp and sentAt must be ISO-8601 date-times with an offset, between 4713 BC and"
          + " 294276 AD"),
  EVENT_TOO_LARGE("event_too_large", "an event must be at most 32 KB of JSON");

  private final String code;
  private final String message;

  DiscardReason(String code, String message) {
    this.code = code;
    this.message = message;
  }

  public String code() {
    return code;
  }

  public String message() {
    return message;
  }
}
