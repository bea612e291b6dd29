package dev.tributary.ingestion.service;

import dev.tributary.ingestion.config.RegulationsConfig;
import dev.tributary.support.PlatformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash a suppressed subject is stored and recognised by: HMAC-SHA256 over the subject
 * type and id, so the database holds no subject id in the clear and cannot be searched for one
 * without the key. The key is {@code tributary.regulations.hash-key}, or derived from the service
 * token; it is never logged.
 */
@ApplicationScoped
public class SubjectHasher {

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  @Inject
  public SubjectHasher(RegulationsConfig config, PlatformConfig platform) {
    this(secret(config, platform));
  }

  SubjectHasher(byte[] secret) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** The hash of one subject; {@code type} is USER_ID or ANONYMOUS_ID. */
  public byte[] hash(SubjectType type, String subjectId) {
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
    // Derived rather than the token itself, so the hash is no oracle for the token.
    String token =
        platform
            .service()
            .token()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "set tributary.regulations.hash-key (or tributary.service.token)"));
    SubjectHasher derivation = new SubjectHasher(token.getBytes(StandardCharsets.UTF_8));
    return derivation.hash(SubjectType.USER_ID, "tributary.regulations.hash-key");
  }
}
