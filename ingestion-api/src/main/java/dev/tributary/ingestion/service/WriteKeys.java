package dev.tributary.ingestion.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Creating and hashing write keys. A key is 192 random bits, URL-safe Base64 (32 characters). */
public final class WriteKeys {

  private static final int KEY_BYTES = 24;
  private static final int HINT_LENGTH = 4;

  private WriteKeys() {}

  public static String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    // A generator per key, not a static one: a native image would otherwise freeze the seed of a
    // build-time instance into every executable. Keys are made rarely (source creation).
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The first characters of the key, safe to show so people can tell keys apart. */
  public static String hint(String key) {
    return key.substring(0, Math.min(HINT_LENGTH, key.length())) + "…";
  }
}
