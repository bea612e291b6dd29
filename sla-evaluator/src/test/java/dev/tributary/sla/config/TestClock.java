package dev.tributary.sla.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests set; it replaces {@link dev.tributary.support.ClockProducer}'s system clock in
 * every test.
 */
@Singleton
@Alternative
@Priority(1)
public class TestClock extends Clock {

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
