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
}
