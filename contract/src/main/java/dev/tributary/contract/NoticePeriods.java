package dev.tributary.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The calendar-day notice periods of the Terms of Service.
 *
 * <p>A period is an exact {@link Duration} of 24-hour days on the instant timeline, so "30 days"
 * means 30 × 24 hours after the notice, whatever the time zone or daylight-saving changes.
 */
public final class NoticePeriods {

  /**
   * Terms of Service, updates to the Agreement: "written notice of any material updates at least
   * thirty (30) days prior to the date the updated version of this Agreement is effective, unless
   * such material updates result from changes in laws, regulations, or requirements from
   * telecommunications providers".
   */
  public static final Duration TERMS_MATERIAL_CHANGE = Duration.ofDays(30);

  /**
   * Terms of Service §2.4 (Changes to the Services): notice "at least sixty (60) days prior to
   * implementation" of a change that is not backwards compatible.
   */
  public static final Duration API_BREAKING_CHANGE = Duration.ofDays(60);

  private NoticePeriods() {}

  /**
   * The notice period of a material Terms update: none when the update is required by law,
   * regulation or telecommunications providers ({@code legalChange}), else {@link
   * #TERMS_MATERIAL_CHANGE}.
   */
  public static Duration termsUpdatePeriod(boolean legalChange) {
    return legalChange ? Duration.ZERO : TERMS_MATERIAL_CHANGE;
  }

  /** The earliest instant a change noticed at {@code noticeAt} may take effect. */
  public static Instant earliestEffectiveAt(Instant noticeAt, Duration period) {
    return noticeAt.plus(requireNonNegative(period));
  }

  /** Whether {@code effectiveAt} is at least {@code period} after {@code noticeAt}. */
  public static boolean isLongEnough(Instant noticeAt, Instant effectiveAt, Duration period) {
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    return !effectiveAt.isBefore(earliestEffectiveAt(noticeAt, period));
  }

  private static Duration requireNonNegative(Duration period) {
    if (period.isNegative()) {
      throw new IllegalArgumentException("A notice period cannot be negative: " + period);
    }
    return period;
  }
}
