package dev.tributary.ingestion.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * Bearer tokens for the non-public APIs (see DEVELOPERS.md: operators use the admin token on {@code
 * /admin/**}; services use the service token on {@code /internal/**}; the admin token is accepted
 * wherever the service token is). An unset token locks its API.
 */
@ConfigMapping(prefix = "tributary")
public interface TokenConfig {

  /** {@code tributary.admin.token}, env {@code TRIBUTARY_ADMIN_TOKEN}. */
  Admin admin();

  /** {@code tributary.service.token}, env {@code TRIBUTARY_SERVICE_TOKEN}. */
  Service service();

  interface Admin {
    Optional<String> token();
  }

  interface Service {
    Optional<String> token();
  }
}
