package dev.tributary.ingestion.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tributary.ingestion.service.LibrarySettingsService.PublicEndpoint;
import java.net.URI;
import org.junit.jupiter.api.Test;

class PublicEndpointTest {

  @Test
  void aUrlBecomesSchemeAndApiHostWithV1() {
    assertEquals(
        new PublicEndpoint("https", "events.example.com/v1"),
        PublicEndpoint.of(URI.create("https://events.example.com")));
    assertEquals(
        new PublicEndpoint("https", "events.example.com/v1"),
        PublicEndpoint.of(URI.create("HTTPS://events.example.com/")));
    assertEquals(
        new PublicEndpoint("http", "localhost:8080/tributary/v1"),
        PublicEndpoint.of(URI.create("http://localhost:8080/tributary//")));
  }

  @Test
  void onlyAbsoluteHttpUrlsAreAccepted() {
    for (String invalid : new String[] {"events.example.com", "ftp://example.com", "/v1"}) {
      assertThrows(IllegalArgumentException.class, () -> PublicEndpoint.of(URI.create(invalid)));
    }
  }
}
