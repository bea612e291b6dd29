package dev.tributary.sla.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Optional;

/** {@code tributary.sla.*}: how the evaluator measures and when it closes months. */
@ConfigMapping(prefix = "tributary.sla")
public interface SlaConfig {

  Probe probe();

  Close close();

  /** The prober of the six Tracking API endpoints. */
  interface Probe {
    /** Whether this instance probes ingestion-api every minute. */
    @WithDefault("true")
    boolean enabled();

    /** A call that has not answered by then failed (SLA measuring rule: 5 s). */
    @WithDefault("5s")
    Duration timeout();

    /** The {@code location} recorded with this prober's results. */
    @WithDefault("sla-evaluator")
    String location();

    /** The name of the probe source in ingestion-api's probe workspace. */
    @WithDefault("sla-evaluator")
    String sourceName();
  }

  /** Closing (freezing) months. */
  interface Close {
    /** How long after a month's end its report is frozen. */
    @WithDefault("15m")
    Duration grace();

    /** The first month that is ever closed; by default the month each workspace was created in. */
    Optional<YearMonth> firstMonth();
  }
}
