package dev.tributary.notice.domain;

/** How a delivery reaches a contact. */
public enum Channel {
  EMAIL,
  SMS
}
