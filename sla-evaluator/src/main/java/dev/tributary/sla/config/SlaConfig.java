package dev.tributary.sla.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** {@code tributary.sla.*}: how the evaluator measures and when it closes months. */
@ConfigMapping(prefix = "tributary.sla")
public interface SlaConfig {

  Probe probe();

  Close close();

  Metrics metrics();

  Retention retention();

  Status status();

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

    /**
     * Whether the prober's own timer runs (tests drive {@link
     * dev.tributary.sla.service.Prober#probeOnce} themselves).
     */
    @WithDefault("true")
    boolean timer();

    /** How often a round runs, aligned to the epoch (a minute: one round at second 0). */
    @WithDefault("1m")
    Duration interval();

    /** Rounds whose results could not be stored are kept (and retried) for at most this many. */
    @WithDefault("1440")
    int unstoredRounds();
  }

  /** Closing (freezing) months. */
  interface Close {
    /** How long after a month's end its report is frozen. */
    @WithDefault("15m")
    Duration grace();

    /** The first month that is ever closed; by default the month each workspace was created in. */
    Optional<YearMonth> firstMonth();

    /** How many workspaces' months are evaluated and frozen at the same time. */
    @WithDefault("4")
    int concurrency();
  }

  /**
   * How long probe results are kept (README "Probe retention"). Frozen reports, termination records
   * and notice evidence are legal records and are never deleted.
   */
  interface Retention {
    /**
     * Calendar months (UTC) of probe results kept before the current one; at least 7: every month
     * until its report is frozen, plus the six-month look-back of the Special Termination Right.
     */
    @WithDefault("13")
    int probeResultsMonths();

    /** Rows per delete statement (each its own short transaction). */
    @WithDefault("5000")
    int deleteBatch();

    /** How often old probe results are deleted. */
    @WithDefault("1h")
    Duration every();
  }

  /** The SLA metrics (per-workspace series only where they are worth a look). */
  interface Metrics {
    /**
     * Workspaces whose series are always published, at risk or not; the others only while they burn
     * their error budget faster than it lasts the month, or have missed the target.
     */
    Optional<Set<UUID>> workspaces();
  }

  /** The public status page and the workspaces' pages (issue 13). */
  interface Status {
    /** The page's name, in the pages, feeds, badges and the Statuspage JSON's {@code page.name}. */
    @WithDefault("Tributary Data Ingestion API")
    String pageName();

    /**
     * Where the public reaches this service (e.g. {@code https://status.example.com}), for the
     * links in the JSON and the feeds; unset, the request's own base URL.
     */
    Optional<String> publicUrl();
  }
}
