package dev.tributary.notice.domain;

import java.util.EnumSet;
import java.util.Set;

/** The notices the agreement promises, and the channels each may be sent by. */
public enum NoticeKind {
  /** Terms of Service "written notice": by email to the designated contacts only. */
  TERMS_UPDATE(EnumSet.of(Channel.EMAIL)),
  /** Terms of Service §2.4: a non-backwards-compatible change, by email. */
  API_CHANGE(EnumSet.of(Channel.EMAIL)),
  /** SLA §3: "notify Customer via email or text". */
  MAINTENANCE(EnumSet.of(Channel.EMAIL, Channel.SMS)),
  MAINTENANCE_RESCHEDULED(EnumSet.of(Channel.EMAIL, Channel.SMS)),
  MAINTENANCE_CANCELLED(EnumSet.of(Channel.EMAIL, Channel.SMS)),
  SLA_MISS(EnumSet.of(Channel.EMAIL)),
  TERMINATION_RIGHT(EnumSet.of(Channel.EMAIL)),
  /** Terms of Service §2.3: the services are suspended "upon written notice", by email. */
  SUSPENSION(EnumSet.of(Channel.EMAIL)),
  /** The suspension is lifted: the write keys work again. */
  SUSPENSION_LIFTED(EnumSet.of(Channel.EMAIL)),
  /**
   * The account is closed: the last notice its contacts receive before the Privacy Notice's
   * deletion within 60 days removes them.
   */
  CLOSURE(EnumSet.of(Channel.EMAIL)),
  GENERAL(EnumSet.of(Channel.EMAIL, Channel.SMS));

  private final Set<Channel> allowedChannels;

  NoticeKind(Set<Channel> allowedChannels) {
    this.allowedChannels = allowedChannels;
  }

  public Set<Channel> allowedChannels() {
    return EnumSet.copyOf(allowedChannels);
  }

  public boolean isMaintenance() {
    return this == MAINTENANCE || this == MAINTENANCE_RESCHEDULED || this == MAINTENANCE_CANCELLED;
  }
}
