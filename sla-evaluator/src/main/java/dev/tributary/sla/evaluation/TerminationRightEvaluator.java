package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * SLA §4 Special Termination Right: failing the availability target in two consecutive months, or
 * in three months within any six consecutive months, lets the customer terminate within 30 days of
 * becoming aware of it; after those 30 days the right is waived.
 */
public final class TerminationRightEvaluator {

  /** SLA §4: the days after awareness within which the right must be exercised. */
  public static final int EXERCISE_DAYS = 30;

  private static final int SIX_MONTHS_BACK = 5;
  private static final int FAILURES_IN_SIX_MONTHS = 3;

  private TerminationRightEvaluator() {}

  /**
   * The right as of {@code asOf}, from the closed months' outcomes (any order, no duplicates);
   * {@code exercisedAt} is nullable.
   *
   * @throws IllegalArgumentException if a month appears twice
   */
  public static TerminationRightStatus evaluate(
      List<MonthOutcome> months, Instant asOf, Instant exercisedAt, ZoneId timeZone) {
    TreeMap<YearMonth, MonthOutcome> failures = new TreeMap<>();
    Set<YearMonth> seen = new HashSet<>();
    for (MonthOutcome outcome : months) {
      if (!seen.add(outcome.month())) {
        throw new IllegalArgumentException("Month given twice: " + outcome.month());
      }
      if (!outcome.targetMet()) {
        failures.put(outcome.month(), outcome);
      }
    }

    List<Trigger> triggers = new ArrayList<>();
    for (MonthOutcome failure : failures.values()) {
      YearMonth month = failure.month();
      List<YearMonth> grounds;
      String rule;
      if (failures.containsKey(month.minusMonths(1))) {
        rule = "TWO_CONSECUTIVE_MONTHS";
        grounds = List.of(month.minusMonths(1), month);
      } else {
        rule = "THREE_OF_SIX_MONTHS";
        grounds =
            List.copyOf(
                failures.subMap(month.minusMonths(SIX_MONTHS_BACK), true, month, true).keySet());
        if (grounds.size() < FAILURES_IN_SIX_MONTHS) {
          continue;
        }
      }
      triggers.add(trigger(failure, rule, grounds, asOf, exercisedAt, timeZone));
    }

    if (triggers.isEmpty()) {
      return new TerminationRightStatus("NONE", List.of(), null, null, null, List.of());
    }
    Trigger reported = triggers.get(triggers.size() - 1);
    for (Trigger trigger : triggers) {
      if (trigger.status().equals("EXERCISED")) {
        reported = trigger;
      }
    }
    return new TerminationRightStatus(
        reported.status(),
        reported.months(),
        reported.awareAt(),
        reported.deadline(),
        reported.status().equals("EXERCISED") ? exercisedAt : null,
        List.copyOf(triggers));
  }

  private static Trigger trigger(
      MonthOutcome completing,
      String rule,
      List<YearMonth> grounds,
      Instant asOf,
      Instant exercisedAt,
      ZoneId timeZone) {
    Instant noticeSentAt = completing.noticeSentAt();
    Instant awareAt = noticeSentAt == null || noticeSentAt.isAfter(asOf) ? null : noticeSentAt;
    Instant deadline =
        awareAt == null ? null : awareAt.atZone(timeZone).plusDays(EXERCISE_DAYS).toInstant();
    Instant existsFrom =
        noticeSentAt != null
            ? noticeSentAt
            : completing.month().plusMonths(1).atDay(1).atStartOfDay(timeZone).toInstant();
    String status;
    if (exercisedAt != null
        && !exercisedAt.isAfter(asOf)
        && (deadline == null || !exercisedAt.isAfter(deadline))
        && !existsFrom.isAfter(exercisedAt)) {
      status = "EXERCISED";
    } else if (awareAt == null || !asOf.isAfter(deadline)) {
      status = "AVAILABLE";
    } else {
      status = "WAIVED";
    }
    return new Trigger(completing.month(), rule, grounds, awareAt, deadline, status);
  }
}
