package dev.tributary.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * The settings every service shares under {@code tributary.*}. Bearer tokens and the paths they
 * guard (DEVELOPERS.md: operators use the admin token on {@code /admin/**}; services call each
 * other's {@code /internal/**} and {@code /v1/**} with the service token; the admin token is
 * accepted wherever the service token is). An unset token locks its API.
 */
@ConfigMapping(prefix = "tributary")
public interface PlatformConfig {

  /** {@code tributary.admin.token}, env {@code TRIBUTARY_ADMIN_TOKEN}. */
  Admin admin();

  /** {@code tributary.service.token}, env {@code TRIBUTARY_SERVICE_TOKEN}. */
  Service service();

  /** Which path prefixes need which token. */
  Auth auth();

  /** The shape of error answers. */
  Errors errors();

  interface Admin {
    /** Surrounding whitespace (a file's trailing newline) is not part of the token. */
    Optional<@WithConverter(TokenConverter.class) String> token();
  }

  interface Service {
    /** Surrounding whitespace (a file's trailing newline) is not part of the token. */
    Optional<@WithConverter(TokenConverter.class) String> token();
  }

  interface Auth {
    /** Path prefixes only the admin token opens. */
    @WithDefault("/admin/")
    List<String> adminPaths();

    /** Path prefixes the service token (or the admin token) opens. */
    @WithDefault("/internal/")
    List<String> servicePaths();
  }

  interface Errors {
    /**
     * Path prefixes answered in Segment's {@code {"code","message"}} shape instead of problem+json
     * (ingestion-api's Tracking API).
     */
    Optional<List<String>> segmentPaths();
  }
}
