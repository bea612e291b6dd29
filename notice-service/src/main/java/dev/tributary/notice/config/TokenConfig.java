package dev.tributary.notice.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * Bearer tokens: other services call this service's {@code /v1/**} with the service token (the
 * admin token is accepted wherever the service token is), and this service sends the service token
 * to ingestion-api's {@code /internal/**}. An unset token locks its API.
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
