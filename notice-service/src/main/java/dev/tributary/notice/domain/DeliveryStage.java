package dev.tributary.notice.domain;

/** Which message of a notice a delivery carries. */
public enum DeliveryStage {
  /** The notice itself, due when the notice is created. */
  NOTICE,
  /** A maintenance reminder, due {@code tributary.notice.reminder.lead} before the window. */
  REMINDER
}
