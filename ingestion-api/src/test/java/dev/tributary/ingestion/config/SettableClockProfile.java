package dev.tributary.ingestion.config;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * The service on {@link TestClock}, with a short retention (2 days by default, at most 5) so that
 * the tests can move the clock past it. A profile of its own: its tests may drop every partition,
 * and the next profile starts from a clean database.
 */
public class SettableClockProfile implements QuarkusTestProfile {

  @Override
  public Set<Class<?>> getEnabledAlternatives() {
    return Set.of(TestClock.class);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "tributary.ingestion.retention.default-days", "2",
        "tributary.ingestion.retention.max-days", "5",
        "tributary.ingestion.retention.delete-batch", "2");
  }
}
