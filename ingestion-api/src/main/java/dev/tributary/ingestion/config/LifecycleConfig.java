package dev.tributary.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Suspension and closure of workspaces. Every key can be set by env var, e.g. {@code
 * TRIBUTARY_LIFECYCLE_NOTICE_POLL}.
 */
@ConfigMapping(prefix = "tributary.lifecycle")
public interface LifecycleConfig {

  /**
   * How often each replica asks notice-service whether a pending suspension's notice was delivered
   * (and retries notices notice-service could not take); a suspension takes effect within this time
   * of its first delivery.
   */
  @WithDefault("5s")
  Duration noticePoll();

  /**
   * How often each replica reads which workspaces are suspended or closed and, on a change, forgets
   * its cached write keys: a suspension, lifting or closure decided on another replica reaches this
   * one within this time (this replica's own decisions apply at once).
   */
  @WithDefault("1s")
  Duration statePoll();

  /** Most suspensions one job run handles (the rest wait for the next run). */
  @WithDefault("100")
  int batch();

  /** The erasure of closed workspaces' data. */
  Erasure erasure();

  /**
   * Privacy Notice: a closed account's data is deleted or anonymised within 60 days. The erasure
   * waits for the CLOSURE notice to be delivered (its contacts are deleted after it), at most
   * {@link #noticeWait()}, then deletes the events in batches and the contacts.
   */
  interface Erasure {
    /** How often each replica looks for closed workspaces to erase. */
    @WithDefault("1m")
    Duration poll();

    /** Events deleted per statement: each is short, so ingestion never waits long behind it. */
    @WithDefault("5000")
    int batch();

    /** Most batches one run deletes (the next run goes on), so one run stays bounded. */
    @WithDefault("200")
    int maxBatchesPerRun();

    /**
     * How long the erasure waits for the CLOSURE notice's deliveries to finish before it erases
     * anyway; well within the 60 days.
     */
    @WithDefault("P7D")
    Duration noticeWait();
  }
}
