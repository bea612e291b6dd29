package dev.tributary.ingestion.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Unit tests of the write key taken from {@code Authorization: Basic}. */
class TrackingRoutesBasicAuthTest {

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void usernameWithTrailingColon() {
    assertEquals("my-key", TrackingRoutes.basicUsername("Basic " + b64("my-key:")));
  }

  @Test
  void usernameWithoutColon() {
    assertEquals("my-key", TrackingRoutes.basicUsername("Basic " + b64("my-key")));
  }

  @Test
  void aPasswordIsIgnored() {
    assertEquals(
        "my-key", TrackingRoutes.basicUsername("Basic " + b64("my-key:secret:with:colons")));
  }

  @Test
  void theSchemeIsCaseInsensitiveAndSurroundingSpaceIgnored() {
    assertEquals("k", TrackingRoutes.basicUsername("basic " + b64("k:")));
    assertEquals("k", TrackingRoutes.basicUsername("BASIC  " + b64("k:") + " "));
  }

  @Test
  void urlSafeKeysSurviveTheRoundTrip() {
    String key = "aZ09-_aZ09-_aZ09-_aZ09-_aZ09-_ab";
    assertEquals(key, TrackingRoutes.basicUsername("Basic " + b64(key + ":")));
  }

  @Test
  void nothingUsableIsNull() {
    assertNull(TrackingRoutes.basicUsername(null));
    assertNull(TrackingRoutes.basicUsername(""));
    assertNull(TrackingRoutes.basicUsername("Basic"));
    assertNull(TrackingRoutes.basicUsername("Basic "));
    assertNull(TrackingRoutes.basicUsername("Bearer " + b64("k:")));
    assertNull(TrackingRoutes.basicUsername("Basic !!!not-base64!!!"));
    assertNull(TrackingRoutes.basicUsername("Basic " + b64(":")));
    assertNull(TrackingRoutes.basicUsername("Basic " + b64(":password")));
  }
}
