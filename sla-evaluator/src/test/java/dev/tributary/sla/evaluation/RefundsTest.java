package dev.tributary.sla.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** SLA §4 pro-rata refund of prepaid fees. */
class RefundsTest {

  private static final LocalDate START_2024 = LocalDate.of(2024, 1, 1);
  private static final LocalDate END_2024 = LocalDate.of(2024, 12, 31);

  private static BigDecimal refund(String prepaid, LocalDate terminationDate) {
    return Refunds.proRata(START_2024, END_2024, new BigDecimal(prepaid), terminationDate);
  }

  @Test
  void leapYearTermIsThreeHundredSixtySixDays() {
    // Jul 1 - Dec 31 = 31 + 31 + 30 + 31 + 30 + 31 = 184 days of 366: 36,600 * 184 / 366 = 18,400.
    assertEquals(new BigDecimal("18400.00"), refund("36600.00", LocalDate.of(2024, 7, 1)));
    // Feb 29 - Dec 31 = 366 - 59 (Jan 31 + Feb 1-28) = 307 days: 36,600 * 307 / 366 = 30,700.
    assertEquals(new BigDecimal("30700.00"), refund("36600.00", LocalDate.of(2024, 2, 29)));
    // 10,000 * 184 / 366 = 5,027.3224... -> 5,027.32.
    assertEquals(new BigDecimal("5027.32"), refund("10000.00", LocalDate.of(2024, 7, 1)));
    // The last day alone: 36,600 / 366 = 100.
    assertEquals(new BigDecimal("100.00"), refund("36600.00", END_2024));
  }

  @Test
  void terminationOnOrBeforeTheStartRefundsEverything() {
    assertEquals(new BigDecimal("36600.00"), refund("36600.00", START_2024));
    assertEquals(new BigDecimal("36600.00"), refund("36600", LocalDate.of(2023, 12, 15)));
  }

  @Test
  void terminationAfterTheEndRefundsNothing() {
    assertEquals(new BigDecimal("0.00"), refund("36600.00", LocalDate.of(2025, 1, 1)));
  }

  @Test
  void halvesRoundToEven() {
    // A 4-day term (Jan 1-4, 2025) of 0.10: the last day is 0.025 -> 0.02 (not 0.03);
    // the last three days are 0.075 -> 0.08.
    LocalDate start = LocalDate.of(2025, 1, 1);
    LocalDate end = LocalDate.of(2025, 1, 4);
    assertEquals(new BigDecimal("0.02"), Refunds.proRata(start, end, new BigDecimal("0.10"), end));
    assertEquals(
        new BigDecimal("0.08"),
        Refunds.proRata(start, end, new BigDecimal("0.10"), LocalDate.of(2025, 1, 2)));
  }
}
