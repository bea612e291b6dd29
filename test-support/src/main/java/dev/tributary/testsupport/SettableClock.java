package dev.tributary.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test sets. Not a bean by itself (this module has no bean archive): each service's tests
 * declare a one-line {@code @Alternative} subclass, so the clock replaces the service's system
 * clock only where a test module asks for it.
 */
public class SettableClock extends Clock {

  /** Monday 2 March 2026, 10:00 in Pacific Time (PST, before the DST change of 8 March). */
  public static final Instant MONDAY = Instant.parse("2026-03-02T18:00:00Z");

  private volatile Instant now = MONDAY;

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(now, zone);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
