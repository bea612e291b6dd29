package dev.tributary.ingestion.service;

/** The four regulations of Segment's API: what a regulation deletes and suppresses. */
public enum RegulationType {
  SUPPRESS_WITH_DELETE(true, true),
  DELETE_ONLY(true, false),
  SUPPRESS_ONLY(false, true),
  /** Ends the subjects' suppression; their new events are stored again. */
  UNSUPPRESS(false, false);

  private final boolean deletes;
  private final boolean suppresses;

  RegulationType(boolean deletes, boolean suppresses) {
    this.deletes = deletes;
    this.suppresses = suppresses;
  }

  /** Whether the job deletes the subjects' stored events (the others finish when asked). */
  public boolean deletes() {
    return deletes;
  }

  public boolean suppresses() {
    return suppresses;
  }
}
