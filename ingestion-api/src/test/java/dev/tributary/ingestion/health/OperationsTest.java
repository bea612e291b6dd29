package dev.tributary.ingestion.health;

import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Probes, Prometheus metrics and the OpenAPI document. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class OperationsTest {

  @Test
  void livenessIsUp() {
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  @Test
  void readinessIsUpWithADatabaseCheck() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.name", hasItem("database"))
        .body("checks.find { it.name == 'database' }.status", is("UP"))
        .body(
            "checks.find { it.name == 'database' }.data.migrationsApplied",
            org.hamcrest.Matchers.greaterThanOrEqualTo(1))
        .body("checks.find { it.name == 'database' }.data.migrationsFailed", is(0));
  }

  @Test
  void startupProbeIsUp() {
    given().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
  }

  /** The value of one Prometheus sample line such as {@code name{a="b",c="d"} 3.0}, or -1. */
  static double sample(String metrics, String name, String... labels) {
    double total = -1;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        Matcher m = Pattern.compile("\\}\\s+(\\S+)").matcher(line);
        if (m.find()) {
          total = Math.max(total, 0) + Double.parseDouble(m.group(1));
        }
      }
    }
    return total;
  }

  @Test
  void metricsCountRequestsAndEventsAfterTraffic() {
    TestSource source = newSource();
    String before = given().get("/q/metrics").then().statusCode(200).extract().asString();
    double acceptedBefore =
        Math.max(0, sample(before, "tributary_ingest_events_total", "result=\"accepted\""));
    double track200Before =
        Math.max(
            0,
            sample(
                before, "tributary_ingest_requests_total", "endpoint=\"track\"", "status=\"200\""));

    tracking(source.writeKey())
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(200);
    tracking(source.writeKey())
        .body(validEvent("track", null))
        .post("/v1/track")
        .then()
        .statusCode(200);
    java.util.Map<String, Object> bad = validEvent("track", null);
    bad.remove("event");
    tracking(source.writeKey()).body(bad).post("/v1/track").then().statusCode(400);

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertTrue(metrics.contains("tributary_ingest_events_total"), "events counter");
    assertTrue(metrics.contains("tributary_ingest_requests_total"), "requests counter");
    double acceptedAfter = sample(metrics, "tributary_ingest_events_total", "result=\"accepted\"");
    double track200After =
        sample(metrics, "tributary_ingest_requests_total", "endpoint=\"track\"", "status=\"200\"");
    double track400 =
        sample(metrics, "tributary_ingest_requests_total", "endpoint=\"track\"", "status=\"400\"");
    assertTrue(acceptedAfter >= acceptedBefore + 2, acceptedBefore + " -> " + acceptedAfter);
    assertTrue(track200After >= track200Before + 2, track200Before + " -> " + track200After);
    assertTrue(track400 >= 1, "400s by endpoint and status: " + track400);
    assertTrue(
        sample(metrics, "tributary_ingest_events_total", "result=\"rejected\"") >= 1,
        "rejected events");
    assertTrue(metrics.contains("tributary_ingest_commit_batch_size"), "group-commit batch size");
    assertTrue(metrics.contains("tributary_ingest_commit_latency"), "group-commit latency");
  }

  @Test
  void openApiListsTheAdminAndInternalApis() {
    String document = given().get("/q/openapi").then().statusCode(200).extract().asString();
    assertTrue(document.contains("/admin/v1/workspaces"), "admin API in OpenAPI");
    assertTrue(document.contains("/admin/v1/workspaces/{id}/sources"), "sources API in OpenAPI");
    assertTrue(document.contains("/admin/v1/sources/{id}/events"), "events API in OpenAPI");
    assertTrue(document.contains("/admin/v1/sources/{id}/events/export"), "export API in OpenAPI");
    assertTrue(document.contains("/internal/v1/request-stats"), "internal API in OpenAPI");
    assertTrue(document.contains("scheme: bearer"), "the tokens' scheme in OpenAPI");
    assertTrue(document.contains("scheme: basic"), "the write key's scheme in OpenAPI");
  }

  @Test
  void openApiListsEachTrackingEndpoint() {
    String document = given().get("/q/openapi").then().statusCode(200).extract().asString();
    for (String path : new String[] {"/v1/track", "/v1/identify", "/v1/batch", "/v1/import"}) {
      assertTrue(
          document.contains(path + ":") || document.contains("\"" + path + "\""),
          path + " is not listed in OpenAPI");
    }
  }

  @Test
  void openApiIsAlsoServedAsJson() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths.'/admin/v1/workspaces'.post", org.hamcrest.Matchers.notNullValue())
        .body("paths.'/internal/v1/request-stats'.get", org.hamcrest.Matchers.notNullValue());
  }
}
