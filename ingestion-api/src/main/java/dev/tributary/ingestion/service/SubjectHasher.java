package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.RegulationsConfig;
import dev.tributary.support.ApiException;
import dev.tributary.support.PlatformConfig;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash a suppressed subject is stored and recognised by: HMAC-SHA256 over the subject
 * type and id, so the database holds no subject id in the clear and cannot be searched for one
 * without the key. The key is {@code tributary.regulations.hash-key}, or derived from the service
 * token; it is never logged. With neither set the regulations API answers {@code 503
 * regulations_not_configured} (like an unset token locks its API) and nothing is suppressed.
 */
// A singleton, not application-scoped: every Tracking API request calls it, and a client proxy
// would look the instance up on each call.
@Singleton
public class SubjectHasher {

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  @Inject
  public SubjectHasher(RegulationsConfig config, PlatformConfig platform) {
    this(secret(config, platform));
  }

  SubjectHasher(byte[] secret) {
    this.key = secret == null ? null : new SecretKeySpec(secret, ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** Whether a key is configured; without one there are no regulations. */
  public boolean configured() {
    return key != null;
  }

  /** {@code 503 regulations_not_configured} without a key. */
  public void requireConfigured() {
    if (key == null) {
      throw new ApiException(
          503,
          "regulations_not_configured",
          "set tributary.regulations.hash-key (or tributary.service.token) to use regulations");
    }
  }

  /** The hash of one subject; {@code type} is USER_ID or ANONYMOUS_ID. */
  public byte[] hash(SubjectType type, String subjectId) {
    requireConfigured();
    Mac mac = macs.get();
    mac.update(type.name().getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    return mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }

  private static byte[] secret(RegulationsConfig config, PlatformConfig platform) {
    if (config.hashKey().isPresent() && !config.hashKey().get().isBlank()) {
      return config.hashKey().get().getBytes(StandardCharsets.UTF_8);
    }
    if (platform.service().token().isEmpty()) {
      Log.warn(
          "neither tributary.regulations.hash-key nor tributary.service.token is set:"
              + " the regulations API is locked and nothing is suppressed");
      return null;
    }
    // Derived rather than the token itself, so the hash is no oracle for the token.
    byte[] token = platform.service().token().get().getBytes(StandardCharsets.UTF_8);
    return new SubjectHasher(token).hash(SubjectType.USER_ID, "tributary.regulations.hash-key");
  }
}
