package dev.tributary.contract;

import static dev.tributary.contract.NoticePeriods.API_BREAKING_CHANGE;
import static dev.tributary.contract.NoticePeriods.TERMS_MATERIAL_CHANGE;
import static dev.tributary.contract.NoticePeriods.earliestEffectiveAt;
import static dev.tributary.contract.NoticePeriods.isLongEnough;
import static dev.tributary.contract.NoticePeriods.termsUpdatePeriod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NoticePeriodsTest {

  private static final Instant NOTICE = Instant.parse("2026-02-25T17:00:00Z");

  @Test
  void periodsAreThirtyAndSixtyDays() {
    assertEquals(Duration.ofHours(30 * 24), TERMS_MATERIAL_CHANGE);
    assertEquals(Duration.ofHours(60 * 24), API_BREAKING_CHANGE);
  }

  @Test
  void earliestEffectiveAtAddsThePeriod() {
    assertEquals(
        Instant.parse("2026-03-27T17:00:00Z"), earliestEffectiveAt(NOTICE, TERMS_MATERIAL_CHANGE));
    assertEquals(
        Instant.parse("2026-04-26T17:00:00Z"), earliestEffectiveAt(NOTICE, API_BREAKING_CHANGE));
  }

  @Test
  void exactlyThirtyDaysIsLongEnough() {
    Instant effective = NOTICE.plus(Duration.ofDays(30));
    assertTrue(isLongEnough(NOTICE, effective, TERMS_MATERIAL_CHANGE));
    assertFalse(isLongEnough(NOTICE, effective.minusSeconds(1), TERMS_MATERIAL_CHANGE));
    assertTrue(isLongEnough(NOTICE, effective.plusSeconds(1), TERMS_MATERIAL_CHANGE));
  }

  @Test
  void breakingApiChangeNeedsSixtyDays() {
    Instant sixtyDays = NOTICE.plus(Duration.ofDays(60));
    assertTrue(isLongEnough(NOTICE, sixtyDays, API_BREAKING_CHANGE));
    assertFalse(isLongEnough(NOTICE, sixtyDays.minusSeconds(1), API_BREAKING_CHANGE));
    // Enough for a Terms update, not for a breaking change.
    Instant fortyDays = NOTICE.plus(Duration.ofDays(40));
    assertTrue(isLongEnough(NOTICE, fortyDays, TERMS_MATERIAL_CHANGE));
    assertFalse(isLongEnough(NOTICE, fortyDays, API_BREAKING_CHANGE));
  }

  @Test
  void realTermsUpdateNoticeWasLongEnough() {
    // The sample notice: published February 25, effective April 1.
    Instant published = Instant.parse("2025-02-25T08:00:00Z");
    Instant effective = Instant.parse("2025-04-01T07:00:00Z");
    assertTrue(isLongEnough(published, effective, TERMS_MATERIAL_CHANGE));
  }

  @Test
  void updatesRequiredByLawNeedNoPeriod() {
    assertEquals(TERMS_MATERIAL_CHANGE, termsUpdatePeriod(false));
    assertEquals(Duration.ZERO, termsUpdatePeriod(true));
    assertTrue(isLongEnough(NOTICE, NOTICE, termsUpdatePeriod(true)));
    assertFalse(isLongEnough(NOTICE, NOTICE.plus(Duration.ofDays(29)), termsUpdatePeriod(false)));
  }

  @Test
  void effectiveBeforeTheNoticeIsNeverLongEnough() {
    assertFalse(isLongEnough(NOTICE, NOTICE.minusSeconds(1), Duration.ZERO));
  }

  @Test
  void negativePeriodIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> earliestEffectiveAt(NOTICE, Duration.ofDays(-1)));
  }
}
