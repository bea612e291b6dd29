package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.newSource;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.RawHttp;
import dev.tributary.testsupport.PostgresTestResource;
import dev.tributary.testsupport.RawHttp.Answer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/projects/{writeKey}/settings}: what the browser and mobile libraries need to start
 * and send here, never to Segment.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class LibrarySettingsResourceTest {

  @Test
  void theSettingsPointTheLibrariesAtThisDeployment() {
    TestSource source = newSource();
    String apiHost = "localhost:" + RestAssured.port + "/v1";
    given()
        .when()
        .get("/v1/projects/{key}/settings", source.writeKey())
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .header("Cache-Control", "public, max-age=300")
        .body("integrations", aMapWithSize(1))
        .body("integrations.'Segment.io'.apiKey", is(source.writeKey()))
        .body("integrations.'Segment.io'.apiHost", is(apiHost))
        .body("integrations.'Segment.io'.protocol", is("http"))
        .body("integrations.'Segment.io'.deliveryStrategy.strategy", is("standard"))
        .body("integrations.'Segment.io'.unbundledIntegrations", empty())
        .body("metrics.sampleRate", is(0.0f))
        .body("metrics.host", is(apiHost))
        .body("remotePlugins", empty())
        .body("enabledMiddleware", anEmptyMap())
        .body("middlewareSettings", anEmptyMap())
        .body("legacyVideoPluginsEnabled", is(false))
        .body("plan.track.__default.enabled", is(true));
  }

  @Test
  void theHostTheClientUsedIsTheOneItIsSentTo() {
    TestSource source = newSource();
    given()
        .header("Host", "events.example.com:8443")
        .get("/v1/projects/{key}/settings", source.writeKey())
        .then()
        .statusCode(200)
        .body("integrations.'Segment.io'.apiHost", is("events.example.com:8443/v1"));
  }

  @Test
  void unknownAndRevokedKeysAreNotFound() {
    given()
        .get("/v1/projects/{key}/settings", "no-such-key")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("code", is("not_found"));
    TestSource source = newSource();
    admin().delete("/admin/v1/sources/{id}", source.sourceId()).then().statusCode(200);
    given()
        .get("/v1/projects/{key}/settings", source.writeKey())
        .then()
        .statusCode(404)
        .body("code", is("not_found"));
  }

  @Test
  void aBrowserCanReadTheSettingsFromAnySiteTheSourceAllows() {
    TestSource source = newSource();
    String site = "https://www.example.com";
    Answer open =
        RawHttp.send(
            "GET",
            "/v1/projects/" + source.writeKey() + "/settings",
            Map.of("Origin", site),
            null,
            false);
    assertEquals(200, open.status(), open.body());
    assertEquals(site, open.header("Access-Control-Allow-Origin"));

    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("allowedOrigins", List.of(site)))
        .put("/admin/v1/sources/{id}/allowed-origins", source.sourceId())
        .then()
        .statusCode(200);
    Answer elsewhere =
        RawHttp.send(
            "GET",
            "/v1/projects/" + source.writeKey() + "/settings",
            Map.of("Origin", "https://copycat.example"),
            null,
            false);
    assertEquals(403, elsewhere.status());
    assertEquals("https://copycat.example", elsewhere.header("Access-Control-Allow-Origin"));
    given()
        .header("Origin", site)
        .get("/v1/projects/{key}/settings", source.writeKey())
        .then()
        .statusCode(200)
        .body("integrations.'Segment.io'.apiKey", startsWith(source.writeKey().substring(0, 4)));
  }
}
