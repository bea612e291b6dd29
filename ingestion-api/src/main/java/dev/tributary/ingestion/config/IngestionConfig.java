package dev.tributary.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Limits and tuning of the Tracking API. Every key can be set by env var, e.g. {@code
 * TRIBUTARY_INGESTION_LIMITS_MAX_EVENT_BYTES}.
 */
@ConfigMapping(prefix = "tributary.ingestion")
public interface IngestionConfig {

  Limits limits();

  RateLimit rateLimit();

  Writer writer();

  Stats stats();

  ProjectSettings settings();

  Retention retention();

  /**
   * How long a write key lookup is cached; a revocation reaches other replicas within this time.
   */
  @WithDefault("10s")
  Duration writeKeyCacheTtl();

  /** Request size limits (Segment's published limits). */
  interface Limits {
    /** Largest accepted event, in bytes of JSON as sent. */
    @WithDefault("32768")
    int maxEventBytes();

    /** Largest accepted request body, in bytes after decompression. */
    @WithDefault("512000")
    int maxRequestBytes();

    /** Most events in one batch call. */
    @WithDefault("2500")
    int maxBatchEvents();

    /** Longest accepted messageId. */
    @WithDefault("100")
    int maxMessageIdLength();
  }

  /**
   * Throughput limits: the "concurrent throughput limits described in the Documentation" of the
   * SLA.
   */
  interface RateLimit {
    /** Default events per second per workspace (a workspace can override it). */
    @WithDefault("1000")
    int eventsPerSecond();

    /** Default burst per workspace, in events: how far a workspace may run ahead of its rate. */
    @WithDefault("2000")
    int burst();

    /** Most requests of one source being processed at once on one replica. */
    @WithDefault("100")
    int maxInFlightPerSource();

    /**
     * How often this replica records its heartbeat in {@code ingestion.replicas} and counts the
     * live replicas. Each replica enforces rate/live and burst/live, so the total over an evenly
     * balanced deployment stays the workspace's limit however an autoscaler changes the count.
     */
    @WithDefault("5s")
    Duration heartbeat();

    /**
     * How long a replica counts as live after its last heartbeat (unset: three heartbeats). A
     * replica that dies without stopping is counted this long; the others then take its share.
     */
    Optional<Duration> replicaTtl();
  }

  /** The group-commit writer that turns concurrent requests into few, large transactions. */
  interface Writer {
    /** Most events written in one transaction. */
    @WithDefault("5000")
    int maxBatchEvents();

    /**
     * Transactions in flight at once (each holds a database connection). Two: one commits while the
     * next executes. More split the same events over more commits, and each commit costs PostgreSQL
     * about as much as ten events (root README, "Where the time goes").
     */
    @WithDefault("2")
    int maxConcurrentFlushes();

    /** Global bound on events waiting for the database; past it requests get 429. */
    @WithDefault("50000")
    int maxPendingEvents();

    /**
     * How long, at the database's recent pace, the events waiting for it may take to commit; past
     * that, requests get 429 at once rather than wait (see {@code QueueAdmission}).
     */
    @WithDefault("1s")
    Duration maxQueueDelay();

    /**
     * How long a request waits for its commit before it is answered 503 (the client retries; dedup
     * makes that safe).
     */
    @WithDefault("5s")
    Duration commitTimeout();

    /** Retry-After, in seconds, sent with 503 when the database is unavailable. */
    @WithDefault("5")
    int unavailableRetryAfterSeconds();
  }

  /** Per-minute request statistics (the SLA's evidence of the workspace's own traffic). */
  interface Stats {
    /**
     * How often in-memory counters are added to PostgreSQL: a process killed without a shutdown
     * loses at most this much of its counts.
     */
    @WithDefault("10s")
    Duration flushInterval();
  }

  /**
   * What {@code GET /v1/projects/{writeKey}/settings} tells the browser and mobile libraries when
   * they start.
   */
  interface ProjectSettings {
    /**
     * Where clients reach this deployment's Tracking API, e.g. {@code https://events.example.com}
     * (a path prefix is kept); the settings send the libraries there. Unset: each settings
     * request's own scheme and host; behind a proxy, enable {@code
     * quarkus.http.proxy.proxy-address-forwarding} so that they are the client's.
     */
    Optional<URI> publicUrl();

    /**
     * The browser library's delivery: {@code standard} (one request per event, as Segment) or
     * {@code batching} (up to {@link #browserBatchSize()} events per request to {@code /v1/b}). A
     * page's own load options win.
     */
    @WithDefault("standard")
    BrowserDelivery browserDelivery();

    /** Events per batch with {@code batching}. */
    @WithDefault("10")
    int browserBatchSize();

    /** Longest wait before a partial batch is sent, with {@code batching}. */
    @WithDefault("5s")
    Duration browserBatchTimeout();

    /**
     * How long browsers may cache the settings ({@code Cache-Control: max-age}); a revoked key is
     * refused by the Tracking API at once, whatever a browser has cached.
     */
    @WithDefault("5m")
    Duration cacheMaxAge();
  }

  /**
   * How long events, their deduplication entries and the request statistics are kept, and the
   * maintenance job that enforces it (README "Retention").
   */
  interface Retention {
    /** Days a workspace keeps its events unless it set its own retention. */
    @WithDefault("90")
    int defaultDays();

    /** The longest retention a workspace may set (and the cap of every workspace's retention). */
    @WithDefault("400")
    int maxDays();

    /** Day partitions kept ready ahead of today (UTC), so an insert always finds its day. */
    @WithDefault("7")
    int partitionsAhead();

    /**
     * How long a messageId is remembered for deduplication (at least 24 hours): a retry within it
     * is stored once, whichever day partition the first copy went to.
     */
    @WithDefault("48h")
    Duration dedupWindow();

    /**
     * Calendar months (UTC) of per-minute request statistics kept before the current one; at least
     * 7: every month until its SLA report is frozen plus the six-month look-back of the Special
     * Termination Right.
     */
    @WithDefault("13")
    int requestStatsMonths();

    /** Rows per delete statement (each its own short transaction). */
    @WithDefault("5000")
    int deleteBatch();

    /** How often the job runs (it also runs at startup). */
    @WithDefault("10m")
    Duration every();

    /**
     * How long the job's partition DDL waits for its lock before giving up until the next run, so
     * that it never queues the inserts behind it for longer.
     */
    @WithDefault("2s")
    Duration lockTimeout();
  }

  /** analytics-next's delivery strategies. */
  enum BrowserDelivery {
    STANDARD,
    BATCHING
  }
}
