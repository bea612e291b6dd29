package dev.tributary.sla.service;

import dev.tributary.sla.evaluation.ProbeGap;
import dev.tributary.sla.service.ProbeTimeline.ProbeFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The six endpoints' state now, as the status pages and Statuspage's components show it, and the
 * page's overall indicator; from the latest minutes of the probe timeline.
 */
public final class EndpointStates {

  /** How far back the component state looks for failures (a recovering endpoint is degraded). */
  static final Duration RECENT = Duration.ofMinutes(15);

  /** Without probe results for this long, the components' state is not known: degraded. */
  static final Duration BLIND = Duration.ofMinutes(5);

  /** Statuspage's component states. */
  public enum ComponentStatus {
    OPERATIONAL("operational", "Operational"),
    DEGRADED_PERFORMANCE("degraded_performance", "Degraded"),
    MAJOR_OUTAGE("major_outage", "Outage"),
    UNDER_MAINTENANCE("under_maintenance", "Under maintenance");

    public final String code;
    public final String label;

    ComponentStatus(String code, String label) {
      this.code = code;
      this.label = label;
    }
  }

  /** One probed endpoint now: its state and why. */
  public record Component(String endpoint, ComponentStatus status, String detail) {}

  /**
   * The endpoints at {@code end} from the probe facts of [{@code start}, {@code end}). Under
   * maintenance inside a scheduled window; else an outage when every probe of the endpoint failed
   * in the latest minute with results; degraded when it failed within the facts' range, or when
   * there were no results for {@link #BLIND} (the state is not known).
   */
  static List<Component> of(ProbeFacts facts, Instant start, Instant end, boolean inMaintenance) {
    Instant latest = latestMeasured(facts, start, end);
    Map<String, Instant> lastFailed = new HashMap<>();
    Set<String> failingNow = new TreeSet<>();
    for (var minute : facts.failed()) {
      for (String endpoint : minute.failedEndpoints()) {
        lastFailed.merge(endpoint, minute.minute(), (a, b) -> a.isAfter(b) ? a : b);
        if (minute.minute().equals(latest)) {
          failingNow.add(endpoint);
        }
      }
    }
    boolean blind = latest == null || !latest.isAfter(end.minus(BLIND).minusSeconds(60));
    List<Component> components = new ArrayList<>();
    for (String endpoint : Prober.ENDPOINTS) {
      if (inMaintenance) {
        components.add(
            new Component(endpoint, ComponentStatus.UNDER_MAINTENANCE, "scheduled maintenance"));
      } else if (blind) {
        components.add(
            new Component(
                endpoint,
                ComponentStatus.DEGRADED_PERFORMANCE,
                "no probe results in the last " + BLIND.toMinutes() + " minutes"));
      } else if (failingNow.contains(endpoint)) {
        components.add(
            new Component(
                endpoint, ComponentStatus.MAJOR_OUTAGE, "every probe failed at " + latest));
      } else if (lastFailed.containsKey(endpoint)) {
        components.add(
            new Component(
                endpoint,
                ComponentStatus.DEGRADED_PERFORMANCE,
                "every probe failed at " + lastFailed.get(endpoint) + "; answering since"));
      } else {
        components.add(
            new Component(endpoint, ComponentStatus.OPERATIONAL, "every probe answered"));
      }
    }
    return components;
  }

  /** The latest minute of [start, end) with probe results: the last minute outside every gap. */
  private static Instant latestMeasured(ProbeFacts facts, Instant start, Instant end) {
    Instant candidate = end.minusSeconds(60);
    List<ProbeGap> gaps = new ArrayList<>(facts.gaps());
    Collections.reverse(gaps);
    for (var gap : gaps) {
      if (!candidate.isBefore(gap.start()) && candidate.isBefore(gap.end())) {
        candidate = gap.start().minusSeconds(60);
      }
    }
    return candidate.isBefore(start) ? null : candidate;
  }

  /** Statuspage's page indicator and description from the components. */
  static String[] indicator(List<Component> components) {
    long outages =
        components.stream().filter(c -> c.status() == ComponentStatus.MAJOR_OUTAGE).count();
    boolean degraded =
        components.stream().anyMatch(c -> c.status() == ComponentStatus.DEGRADED_PERFORMANCE);
    boolean maintenance =
        components.stream().anyMatch(c -> c.status() == ComponentStatus.UNDER_MAINTENANCE);
    if (outages == components.size()) {
      return new String[] {"critical", "Major System Outage"};
    }
    if (outages > 0) {
      return new String[] {"major", "Partial System Outage"};
    }
    if (degraded) {
      return new String[] {"minor", "Minor Service Outage"};
    }
    if (maintenance) {
      return new String[] {"maintenance", "Service Under Maintenance"};
    }
    return new String[] {"none", "All Systems Operational"};
  }

  private EndpointStates() {}
}
