package dev.tributary.ingestion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * End-user deletion and suppression (README "Regulations"). Every key can be set by env var, e.g.
 * {@code TRIBUTARY_REGULATIONS_DELETE_BATCH}.
 */
@ConfigMapping(prefix = "tributary.regulations")
public interface RegulationsConfig {

  /**
   * The secret of the keyed hash (HMAC-SHA256) that suppressed subjects are stored and looked up
   * by; never logged. Unset, it is derived from {@code tributary.service.token}: then rotating that
   * token forgets every suppression, so production sets its own.
   */
  Optional<String> hashKey();

  /** Most subject ids one regulation may name (Segment's own limit is 5,000). */
  @WithDefault("5000")
  int maxSubjects();

  /** Privacy Notice: a deletion "may take up to 30 days"; past this, a regulation is overdue. */
  @WithDefault("P30D")
  Duration deadline();

  /**
   * How often each replica reads whether the suppressed subjects changed (one row) and reloads them
   * when they did: a suppression applies on every replica within this time.
   */
  @WithDefault("1s")
  Duration poll();

  /** How often each replica looks for a regulation to work on. */
  @WithDefault("1s")
  Duration jobPoll();

  /**
   * How long a new deletion waits before it starts: a SUPPRESS_WITH_DELETE then starts only once
   * every replica suppresses the subject, so no event of it is stored behind the deletion.
   */
  @WithDefault("5s")
  Duration startDelay();

  /** Events deleted per statement (one short transaction each), so ingestion never waits long. */
  @WithDefault("5000")
  int deleteBatch();

  /**
   * Blocks (8 KiB each) of an unindexed partition (today's) one deletion statement scans: 2,048
   * blocks are 16 MiB, a fraction of a second.
   */
  @WithDefault("2048")
  int scanBlocks();

  /**
   * How long a replica owns the regulation it works on; renewed by every batch. Another replica
   * takes it over once the lease expired (its owner stopped).
   */
  @WithDefault("60s")
  Duration lease();

  /**
   * Failed attempts after which a regulation is FAILED; each waits one {@link #lease()} and resumes
   * where the last stopped.
   */
  @WithDefault("5")
  int maxAttempts();
}
