package dev.tributary.sla.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link MonthEvaluator}, evaluating minute by minute, is the oracle: on thousands of random months
 * the sparse evaluation must give the identical report and ledger. The months are drawn from a
 * seeded generator (a failure names its seed, and {@link #oneMonth} replays it) and lean on what is
 * hard: DST months in zones with odd offsets, windows and exclusions that overlap each other and
 * cross the month's ends on unaligned seconds, the 300-minute cap, probe gaps with and without
 * request counts, duplicate evidence, error rates on the threshold, and pending minutes.
 */
class SparseMonthEvaluatorOracleTest {

  static final int MONTHS = 3_000;

  static final List<ZoneId> ZONES =
      List.of(
          ZoneOffset.UTC,
          ZoneId.of("America/Los_Angeles"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("Asia/Kathmandu"),
          ZoneId.of("America/St_Johns"),
          ZoneId.of("Pacific/Chatham"));

  static final List<String> ENDPOINTS =
      List.of("identify", "track", "page", "screen", "group", "alias");

  @Test
  void sparseEvaluationEqualsTheOracleOnRandomMonths() {
    int[] seen = new int[6];
    for (long seed = 0; seed < MONTHS; seed++) {
      MonthReport report = oneMonth(seed);
      seen[0] += report.maintenanceOverCapMinutes() > 0 ? 1 : 0;
      seen[1] += report.excludedByCategory().size() > 1 ? 1 : 0;
      seen[2] +=
          report.unavailable().stream().anyMatch(u -> u.reason().equals("ERROR_RATE")) ? 1 : 0;
      seen[3] += report.unavailable().stream().anyMatch(u -> u.detail().contains("; ")) ? 1 : 0;
      seen[4] +=
          report.noDataMinutes() > 0 && report.noDataMinutes() < report.totalMinutes() ? 1 : 0;
      seen[5] += report.pendingMinutes() > 0 && !report.complete() ? 1 : 0;
    }
    // The generator reaches every rule often: over the cap, several exclusion categories, error
    // rates, probe failures and error rates in one minute, partial gaps, pending minutes.
    for (int rule = 0; rule < seen.length; rule++) {
      assertTrue(
          seen[rule] >= 30, "rule " + rule + " was reached in only " + seen[rule] + " months");
    }
  }

  /** Generates the month of {@code seed}, evaluates it both ways and compares. */
  static MonthReport oneMonth(long seed) {
    MonthEvidence evidence = randomMonth(new SplittableRandom(seed));
    MonthEvaluation oracle = MonthEvaluator.evaluate(evidence);
    SparseMonthEvaluator.Result sparse = SparseMonthEvaluator.evaluate(MonthFacts.of(evidence));
    assertEquals(oracle.report(), sparse.report(), "report of seed " + seed);
    assertEquals(Ledger.compress(oracle.ledger()), sparse.ledger(), "ledger of seed " + seed);
    SparseMonthEvaluator.Result reportOnly =
        SparseMonthEvaluator.evaluate(MonthFacts.of(evidence), false);
    assertEquals(oracle.report(), reportOnly.report(), "report without ledger, seed " + seed);
    return oracle.report();
  }

  static MonthEvidence randomMonth(SplittableRandom random) {
    ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
    // Half the months are DST transition months (March, April, October, November).
    int monthOfYear =
        random.nextBoolean() ? new int[] {3, 4, 10, 11}[random.nextInt(4)] : random.nextInt(1, 13);
    YearMonth month = YearMonth.of(random.nextInt(2024, 2028), monthOfYear);
    Instant start = month.atDay(1).atStartOfDay(zone).toInstant();
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    long minutes = Duration.between(start, end).toMinutes();

    List<ProbeMinute> probes = probes(random, start, minutes);
    List<RequestMinute> requests = requests(random, start, minutes);
    List<MaintenanceWindow> windows = new ArrayList<>();
    int windowCount = random.nextInt(5);
    for (int w = 0; w < windowCount; w++) {
      Instant from = around(random, start, minutes);
      Instant to = from.plusSeconds(random.nextLong(1, random.nextBoolean() ? 400 : 4_000) * 60);
      to = to.plusSeconds(random.nextInt(3) == 0 ? random.nextInt(1, 60) : 0);
      windows.add(
          new MaintenanceWindow("w" + random.nextInt(100), from, to, notice(random, from), null));
    }
    List<Exclusion> exclusions = new ArrayList<>();
    int exclusionCount = random.nextInt(5);
    ExclusionCategory[] categories = ExclusionCategory.values();
    for (int e = 0; e < exclusionCount; e++) {
      Instant from = around(random, start, minutes);
      Instant to = from.plusSeconds(random.nextLong(1, 600) * 60 + random.nextInt(2) * 30);
      exclusions.add(
          new Exclusion(
              "x" + random.nextInt(100),
              from,
              to,
              categories[random.nextInt(categories.length)],
              "reason " + e,
              random.nextBoolean() ? "ops@example.com" : null));
    }
    Instant asOf =
        switch (random.nextInt(4)) {
          case 0 -> null;
          case 1 -> start.minusSeconds(random.nextInt(1, 100_000));
          default -> start.plusSeconds(random.nextLong(0, (minutes + 60) * 60));
        };
    return new MonthEvidence(month, zone, probes, requests, windows, exclusions, asOf);
  }

  /** Mostly complete probe evidence with gaps, failures, duplicates and minutes outside. */
  private static List<ProbeMinute> probes(SplittableRandom random, Instant start, long minutes) {
    List<ProbeMinute> probes = new ArrayList<>();
    int mode = random.nextInt(4); // 0 none, 1 sparse, 2-3 nearly complete
    double present = mode == 0 ? 0 : mode == 1 ? 0.02 : 1;
    double failure = random.nextInt(3) == 0 ? 0.01 : 0.0005;
    boolean inGap = false;
    for (long i = -90; i < minutes + 90; i++) {
      if (mode >= 2 && random.nextInt(2_000) == 0) {
        inGap = !inGap; // runs of missing minutes
      }
      if (inGap || random.nextDouble() >= present) {
        continue;
      }
      Instant minute = start.plusSeconds(i * 60);
      probes.add(
          new ProbeMinute(minute, random.nextDouble() < failure ? failed(random) : Set.of()));
      if (random.nextInt(500) == 0) {
        probes.add(new ProbeMinute(minute, failed(random))); // a second location's results
      }
    }
    return probes;
  }

  private static Set<String> failed(SplittableRandom random) {
    Set<String> endpoints = new TreeSet<>();
    int count = random.nextInt(1, 4);
    for (int e = 0; e < count; e++) {
      endpoints.add(ENDPOINTS.get(random.nextInt(ENDPOINTS.size())));
    }
    return endpoints;
  }

  /** Request counts on some minutes, many near the error-rate threshold, some duplicated. */
  private static List<RequestMinute> requests(
      SplittableRandom random, Instant start, long minutes) {
    List<RequestMinute> requests = new ArrayList<>();
    int count = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 400);
    for (int r = 0; r < count; r++) {
      Instant minute = start.plusSeconds(random.nextLong(-30, minutes + 30) * 60);
      long total = random.nextLong(0, 60);
      long rejected = random.nextLong(0, 4);
      long throttled = random.nextLong(0, 4);
      long failed = random.nextInt(3) == 0 ? random.nextLong(0, 6) : 0;
      requests.add(new RequestMinute(minute, total, rejected, throttled, failed));
      if (random.nextInt(20) == 0) {
        requests.add(new RequestMinute(minute, 10, 0, 0, 1));
      }
    }
    return requests;
  }

  /** An instant somewhere from a day before the month to a day after, not always on a minute. */
  private static Instant around(SplittableRandom random, Instant start, long minutes) {
    Instant at = start.plusSeconds(random.nextLong(-1_440, minutes + 1_440) * 60);
    return random.nextInt(3) == 0 ? at.plusSeconds(random.nextInt(1, 60)) : at;
  }

  /** No notice, a late one, or one well ahead (business days are counted from it). */
  private static Instant notice(SplittableRandom random, Instant windowStart) {
    return switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> windowStart.minus(Duration.ofDays(1));
      default -> windowStart.minus(Duration.ofDays(random.nextInt(5, 20)));
    };
  }
}
