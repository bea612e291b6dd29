package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

  private static AllowedOrigins of(String... patterns) {
    return AllowedOrigins.of(AllowedOrigins.normalise(List.of(patterns)));
  }

  @Test
  void noPatternsAllowEveryOrigin() {
    assertFalse(AllowedOrigins.ANY.isRestricted());
    assertTrue(AllowedOrigins.ANY.allows("https://anything.example"));
    assertTrue(AllowedOrigins.of(null).allows("null"));
  }

  @Test
  void patternsAreNormalisedAsBrowsersSendOrigins() {
    assertEquals(
        List.of("https://www.example.com", "http://localhost:3000", "https://*.example.org"),
        AllowedOrigins.normalise(
            List.of(
                " HTTPS://WWW.EXAMPLE.COM:443/ ",
                "http://localhost:3000",
                "https://*.example.org",
                "https://www.example.com")));
    assertEquals(
        List.of("http://example.com"), AllowedOrigins.normalise(List.of("http://example.com:80")));
  }

  @Test
  void exactOriginsMatchSchemeHostAndPort() {
    AllowedOrigins origins = of("https://www.example.com", "http://localhost:3000");
    assertTrue(origins.allows("https://www.example.com"));
    assertTrue(origins.allows("HTTPS://www.example.com"));
    assertTrue(origins.allows("http://localhost:3000"));
    assertFalse(origins.allows("http://www.example.com"));
    assertFalse(origins.allows("https://www.example.com:8443"));
    assertFalse(origins.allows("http://localhost:3001"));
    assertFalse(origins.allows("null"));
  }

  @Test
  void aWildcardMatchesSubdomainsOnly() {
    AllowedOrigins origins = of("https://*.example.com");
    assertTrue(origins.allows("https://shop.example.com"));
    assertTrue(origins.allows("https://a.b.example.com"));
    assertFalse(origins.allows("https://example.com"));
    assertFalse(origins.allows("https://badexample.com"));
    assertFalse(origins.allows("https://shop.example.com:8443"));
    assertFalse(origins.allows("http://shop.example.com"));
    assertFalse(origins.allows("https://evil.com/x.example.com"));
    assertTrue(of("https://*.example.com:8443").allows("https://shop.example.com:8443"));
    assertFalse(of("https://*.example.com:8443").allows("https://shop.example.com"));
  }

  @Test
  void requestsWithoutOriginAreNotBrowsersAndPass() {
    assertTrue(of("https://www.example.com").allows(null));
  }

  @Test
  void whatIsNotAnOriginIsRefused() {
    for (String invalid :
        List.of(
            "example.com",
            "ftp://example.com",
            "https://example.com/path",
            "https://example.com?q=1",
            "https://user@example.com",
            "https://*",
            "https://*.com",
            "https://*.*.example.com",
            "https://a*.example.com",
            " ")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> AllowedOrigins.normalise(List.of(invalid)),
          invalid);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> AllowedOrigins.normalise(Collections.nCopies(101, "https://example.com")));
  }
}
