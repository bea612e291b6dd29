package dev.tributary.notice.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Maintenance reminders ({@code tributary.notice.reminder.*}). */
@ConfigMapping(prefix = "tributary.notice.reminder")
public interface ReminderConfig {

  /** How long before a maintenance window starts its reminder is due. */
  @WithDefault("24h")
  Duration lead();
}
