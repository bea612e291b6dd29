package dev.tributary.sla.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The probe source's write key, derived from the service token: every replica computes the same key
 * without storing it, and rotating the service token rotates the key (the prober registers the new
 * one with ingestion-api).
 */
final class ProbeKeys {

  private ProbeKeys() {}

  static String writeKey(String serviceToken, String sourceName) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(serviceToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest =
          mac.doFinal(("tributary-probe:" + sourceName).getBytes(StandardCharsets.UTF_8));
      return "probe_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
