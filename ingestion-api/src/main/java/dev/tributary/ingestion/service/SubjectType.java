package dev.tributary.ingestion.service;

/** Which id of an event a regulation names, as Segment's regulations API does. */
public enum SubjectType {
  USER_ID("userId"),
  ANONYMOUS_ID("anonymousId");

  private final String field;

  SubjectType(String field) {
    this.field = field;
  }

  /** The event's JSON field that holds this id. */
  public String field() {
    return field;
  }
}
