package dev.tributary.sla.evaluation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * SLA §4: on termination under the Special Termination Right the customer gets back the prepaid
 * fees for the terminated portion of the order-form term.
 */
public final class Refunds {

  private Refunds() {}

  /**
   * Pro-rata refund of prepaid fees for the terminated portion of an order-form term (both dates
   * inclusive): prepaid * days(terminationDate..termEnd inclusive) / days(termStart..termEnd
   * inclusive), scale 2, HALF_EVEN; 0.00 when terminationDate > termEnd; whole prepaid when
   * terminationDate <= termStart.
   */
  public static BigDecimal proRata(
      LocalDate termStart, LocalDate termEnd, BigDecimal prepaidFees, LocalDate terminationDate) {
    if (terminationDate.isAfter(termEnd)) {
      return BigDecimal.ZERO.setScale(2);
    }
    if (!terminationDate.isAfter(termStart)) {
      return prepaidFees.setScale(2, RoundingMode.HALF_EVEN);
    }
    long remainingDays = ChronoUnit.DAYS.between(terminationDate, termEnd) + 1;
    long termDays = ChronoUnit.DAYS.between(termStart, termEnd) + 1;
    return prepaidFees
        .multiply(BigDecimal.valueOf(remainingDays))
        .divide(BigDecimal.valueOf(termDays), 2, RoundingMode.HALF_EVEN);
  }
}
