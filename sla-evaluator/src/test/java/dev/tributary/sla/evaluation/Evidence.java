package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds a {@link MonthEvidence} for a test and evaluates it. */
final class Evidence {

  static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

  private final YearMonth month;
  private final ZoneId zone;
  private final List<ProbeMinute> probes = new ArrayList<>();
  private final List<RequestMinute> requests = new ArrayList<>();
  private final List<MaintenanceWindow> windows = new ArrayList<>();
  private final List<Exclusion> exclusions = new ArrayList<>();
  private Instant asOf;

  private Evidence(YearMonth month, ZoneId zone) {
    this.month = month;
    this.zone = zone;
  }

  static Evidence utc(int year, int month) {
    return new Evidence(YearMonth.of(year, month), ZoneOffset.UTC);
  }

  static Evidence in(ZoneId zone, int year, int month) {
    return new Evidence(YearMonth.of(year, month), zone);
  }

  static Instant at(String instant) {
    return Instant.parse(instant);
  }

  Evidence probesFailed(String minute, String... endpoints) {
    probes.add(new ProbeMinute(at(minute), Set.of(endpoints)));
    return this;
  }

  Evidence probesOk(String minute) {
    probes.add(new ProbeMinute(at(minute), Set.of()));
    return this;
  }

  Evidence probes(List<ProbeMinute> minutes) {
    probes.addAll(minutes);
    return this;
  }

  Evidence requests(
      String minute, long requests, long rejected4xx, long throttled429, long failed5xx) {
    this.requests.add(
        new RequestMinute(at(minute), requests, rejected4xx, throttled429, failed5xx));
    return this;
  }

  Evidence window(String id, String start, String end, String noticeSentAt) {
    windows.add(
        new MaintenanceWindow(
            id, at(start), at(end), noticeSentAt == null ? null : at(noticeSentAt), null));
    return this;
  }

  Evidence exclusion(String id, String start, String end, ExclusionCategory category) {
    exclusions.add(
        new Exclusion(id, at(start), at(end), category, "reason of " + id, "ops@example.com"));
    return this;
  }

  Evidence asOf(String instant) {
    asOf = at(instant);
    return this;
  }

  /** The ledger entry of {@code minute}. */
  static MinuteVerdict verdictAt(MonthEvaluation evaluation, String minute) {
    Instant wanted = at(minute);
    return evaluation.ledger().stream()
        .filter(v -> v.minute().equals(wanted))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ledger entry for " + minute));
  }

  MonthEvaluation evaluate() {
    return MonthEvaluator.evaluate(
        new MonthEvidence(month, zone, probes, requests, windows, exclusions, asOf));
  }
}
