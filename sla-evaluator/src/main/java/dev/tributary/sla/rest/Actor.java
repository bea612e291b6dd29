package dev.tributary.sla.rest;

import dev.tributary.support.PlatformConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who made a change, for the records that must say it (exclusions, maintenance, corrections,
 * exercises): the name the caller gives, else which of the platform's tokens it presented. Never
 * the token itself.
 */
final class Actor {

  private Actor() {}

  static String of(String given, String authorization, PlatformConfig tokens) {
    if (given != null && !given.isBlank()) {
      return given.strip();
    }
    String presented =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).strip()
            : "";
    boolean admin =
        tokens
            .admin()
            .token()
            .map(
                t ->
                    MessageDigest.isEqual(
                        t.getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8)))
            .orElse(false);
    return admin ? "operator (admin token)" : "service (service token)";
  }
}
