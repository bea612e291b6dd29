package dev.tributary.sla.evaluation;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One UTC minute that has probe results (SLA §1 availability evidence); failedEndpoints = endpoints
 * whose EVERY result in that minute failed, so a retry that succeeded within the minute keeps the
 * endpoint available.
 */
public record ProbeMinute(Instant minute, Set<String> failedEndpoints) {

  /** Keeps the failed endpoints sorted, so details and serialized output are deterministic. */
  public ProbeMinute {
    failedEndpoints = Collections.unmodifiableSortedSet(new TreeSet<>(failedEndpoints));
  }

  /**
   * Groups results by minute ({@code at} truncated to minutes) and endpoint, in chronological
   * order. An endpoint fails a minute only when none of its results in that minute was ok.
   */
  public static List<ProbeMinute> fromResults(Collection<ProbeResult> results) {
    Map<Instant, Map<String, Boolean>> anyOkByMinute = new TreeMap<>();
    for (ProbeResult result : results) {
      anyOkByMinute
          .computeIfAbsent(result.at().truncatedTo(ChronoUnit.MINUTES), m -> new HashMap<>())
          .merge(result.endpoint(), result.ok(), Boolean::logicalOr);
    }
    return anyOkByMinute.entrySet().stream()
        .map(
            e ->
                new ProbeMinute(
                    e.getKey(),
                    e.getValue().entrySet().stream()
                        .filter(endpoint -> !endpoint.getValue())
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet())))
        .toList();
  }
}
