package dev.tributary.ingestion.service;

/** Which id of an event a regulation names, as Segment's regulations API does. */
public enum SubjectType {
  USER_ID("userId", "_subject_user"),
  ANONYMOUS_ID("anonymousId", "_subject_anonymous");

  private final String field;
  private final String indexSuffix;

  SubjectType(String field, String indexSuffix) {
    this.field = field;
    this.indexSuffix = indexSuffix;
  }

  /** The event's JSON field that holds this id. */
  public String field() {
    return field;
  }

  /**
   * The name of a past day partition's index on {@code (workspace_id, (payload ->> field))} is the
   * partition's name followed by this (README "Regulations").
   */
  public String indexSuffix() {
    return indexSuffix;
  }
}
