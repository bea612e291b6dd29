package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.newSource;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's settings: the public URL behind a proxy, and batching delivery for browsers. */
@QuarkusTest
@TestProfile(LibrarySettingsConfiguredTest.Configured.class)
@QuarkusTestResource(PostgresTestResource.class)
class LibrarySettingsConfiguredTest {

  public static class Configured implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "tributary.ingestion.settings.public-url", "https://events.example.com/collect/",
          "tributary.ingestion.settings.browser-delivery", "batching",
          "tributary.ingestion.settings.browser-batch-size", "25",
          "tributary.ingestion.settings.browser-batch-timeout", "2s",
          "tributary.ingestion.settings.cache-max-age", "60s");
    }
  }

  @Test
  void theConfiguredPublicUrlAndDeliveryAreWhatTheLibrariesGet() {
    TestSource source = newSource();
    given()
        .header("Host", "10.0.0.7:8080")
        .get("/v1/projects/{key}/settings", source.writeKey())
        .then()
        .statusCode(200)
        .header("Cache-Control", "public, max-age=60")
        .body("integrations.'Segment.io'.apiHost", is("events.example.com/collect/v1"))
        .body("integrations.'Segment.io'.protocol", is("https"))
        .body("integrations.'Segment.io'.deliveryStrategy.strategy", is("batching"))
        .body("integrations.'Segment.io'.deliveryStrategy.config.size", is(25))
        .body("integrations.'Segment.io'.deliveryStrategy.config.timeout", is(2000));
  }
}
