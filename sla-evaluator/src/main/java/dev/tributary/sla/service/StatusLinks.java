package dev.tributary.sla.service;

import dev.tributary.sla.repository.StatusLinkRepository;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The unguessable private link of a workspace's status page: 256 random bits, shown once when an
 * operator makes (or rotates) it; only its SHA-256 is stored, so the link is never readable back,
 * from the database or the logs. The workspace id alone never opens the page.
 */
@ApplicationScoped
public class StatusLinks {

  /** Tokens are 43 characters of base64url; anything else is not looked up. */
  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();
  private final StatusLinkRepository links;
  private final ReportService reports;
  private final Clock clock;

  StatusLinks(StatusLinkRepository links, ReportService reports, Clock clock) {
    this.links = links;
    this.reports = reports;
    this.clock = clock;
  }

  /**
   * A new token for the workspace's page (404 for an unknown workspace); the previous one stops
   * working at once.
   */
  public Uni<String> rotate(UUID workspaceId, String by) {
    return reports
        .workspace(workspaceId)
        .flatMap(
            ws -> {
              byte[] bytes = new byte[32];
              random.nextBytes(bytes);
              String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
              return links
                  .replace(workspaceId, sha256(token), clock.instant(), by)
                  .invoke(
                      () ->
                          Log.infof(
                              "status page link of workspace %s rotated by %s", workspaceId, by))
                  .replaceWith(token);
            });
  }

  /** The workspace a token opens, if any. */
  public Uni<Optional<UUID>> resolve(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Uni.createFrom().item(Optional.empty());
    }
    return links.workspaceOf(sha256(token));
  }

  static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
