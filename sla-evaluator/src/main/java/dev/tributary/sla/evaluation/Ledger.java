package dev.tributary.sla.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A month's minute ledger stored compactly: runs of consecutive minutes with the same verdict,
 * reason and detail. A frozen month keeps its ledger this way, so its audit trail never changes
 * after the freeze (unless corrected).
 */
public final class Ledger {

  /** {@code minutes} consecutive minutes from {@code start} with one verdict. */
  public record Run(Instant start, int minutes, Verdict verdict, String reason, String detail) {}

  private Ledger() {}

  public static List<Run> compress(List<MinuteVerdict> minutes) {
    List<Run> runs = new ArrayList<>();
    Run current = null;
    for (MinuteVerdict m : minutes) {
      if (current != null
          && current.verdict() == m.verdict()
          && Objects.equals(current.reason(), m.reason())
          && Objects.equals(current.detail(), m.detail())
          && current.start().plus(Duration.ofMinutes(current.minutes())).equals(m.minute())) {
        current =
            new Run(
                current.start(),
                current.minutes() + 1,
                current.verdict(),
                current.reason(),
                current.detail());
        runs.set(runs.size() - 1, current);
      } else {
        current = new Run(m.minute(), 1, m.verdict(), m.reason(), m.detail());
        runs.add(current);
      }
    }
    return runs;
  }

  /** The minutes of {@code runs} in {@code [from, to)}. */
  public static List<MinuteVerdict> expand(List<Run> runs, Instant from, Instant to) {
    List<MinuteVerdict> minutes = new ArrayList<>();
    for (Run run : runs) {
      for (int i = 0; i < run.minutes(); i++) {
        Instant minute = run.start().plus(Duration.ofMinutes(i));
        if (!minute.isBefore(from) && minute.isBefore(to)) {
          minutes.add(new MinuteVerdict(minute, run.verdict(), run.reason(), run.detail()));
        }
      }
    }
    return minutes;
  }
}
