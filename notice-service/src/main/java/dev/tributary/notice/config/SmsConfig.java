package dev.tributary.notice.config;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.Optional;

/**
 * The SMS provider: an API shaped like Twilio's Messages resource ({@code POST
 * {base-url}/2010-04-01/Accounts/{account-sid}/Messages.json}, basic auth account-sid:auth-token).
 * There is no default host: without all four values SMS deliveries are not claimed and stay PENDING
 * until the provider is configured.
 */
@ConfigMapping(prefix = "tributary.notice.sms")
public interface SmsConfig {

  /** Base URL of the provider's API ({@code TRIBUTARY_NOTICE_SMS_BASE_URL}). */
  Optional<URI> baseUrl();

  /** Account SID: the path segment and the basic-auth user. */
  Optional<String> accountSid();

  /** Auth token: the basic-auth password; a secret, never logged. */
  Optional<String> authToken();

  /** The sending number, E.164. */
  Optional<String> from();

  default boolean configured() {
    return baseUrl().isPresent()
        && accountSid().isPresent()
        && authToken().isPresent()
        && from().isPresent();
  }
}
