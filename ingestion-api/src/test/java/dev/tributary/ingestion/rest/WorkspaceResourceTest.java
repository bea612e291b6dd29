package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The admin API's workspaces: create, list, get, validation, problem+json errors and the admin
 * token.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WorkspaceResourceTest {

  static final String PROBLEM_JSON = "application/problem+json";

  private static io.restassured.response.ValidatableResponse create(Object body) {
    return admin()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/admin/v1/workspaces")
        .then();
  }

  @Test
  void createAnswersTheWorkspaceWithItsIdAndLocation() {
    String name = "Acme " + UUID.randomUUID();
    Instant before = Instant.now();
    Map<String, Object> body = new HashMap<>();
    body.put("name", "  " + name + "  ");
    body.put("timeZone", "Europe/Paris");
    body.put(
        "contacts",
        List.of(
            Map.of("name", "Legal", "email", "legal@acme.example"),
            Map.of("phone", "+14155550100"),
            Map.of("name", "Both", "email", "both@acme.example", "phone", "+33612345678")));

    JsonPath created =
        create(body)
            .statusCode(201)
            .contentType(ContentType.JSON)
            .body("id", notNullValue())
            .body("name", is(name))
            .body("timeZone", is("Europe/Paris"))
            .body("contacts.size()", is(3))
            .body("contacts[0].email", is("legal@acme.example"))
            .body("contacts[0].name", is("Legal"))
            .body("contacts[0].phone", nullValue())
            .body("contacts[1].phone", is("+14155550100"))
            .body("contacts[1].email", nullValue())
            .body("contacts[2].phone", is("+33612345678"))
            .body("eventsPerSecond", is(1000))
            .body("burst", is(2000))
            .extract()
            .jsonPath();
    String id = created.getString("id");
    UUID.fromString(id);
    Instant createdAt = Instant.parse(created.getString("createdAt"));
    assertFalse(createdAt.isBefore(before.minus(Duration.ofSeconds(1))), createdAt.toString());

    JsonPath fetched =
        admin()
            .get("/admin/v1/workspaces/{id}", id)
            .then()
            .statusCode(200)
            .contentType(ContentType.JSON)
            .extract()
            .jsonPath();
    assertEquals(created.getMap("$"), fetched.getMap("$"), "get answers what create answered");

    List<Map<String, Object>> all =
        admin()
            .get("/admin/v1/workspaces")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    assertTrue(
        all.stream().anyMatch(w -> id.equals(w.get("id")) && name.equals(w.get("name"))), "listed");
  }

  @Test
  void theLocationHeaderPointsAtTheWorkspace() {
    var response = create(Map.of("name", "located")).statusCode(201).extract();
    String id = response.path("id");
    assertTrue(
        response.header("Location").endsWith("/admin/v1/workspaces/" + id),
        response.header("Location"));
  }

  @Test
  void timeZoneDefaultsToUtcAndLimitsToTheServiceDefaults() {
    create(Map.of("name", "defaults"))
        .statusCode(201)
        .body("timeZone", is("UTC"))
        .body("contacts.size()", is(0))
        .body("eventsPerSecond", is(1000))
        .body("burst", is(2000));
    create(Map.of("name", "blank zone", "timeZone", " "))
        .statusCode(201)
        .body("timeZone", is("UTC"));
  }

  @Test
  void listIsOldestFirst() {
    String first = create(Map.of("name", "list-1")).statusCode(201).extract().path("id");
    String second = create(Map.of("name", "list-2")).statusCode(201).extract().path("id");
    List<String> ids =
        admin()
            .get("/admin/v1/workspaces")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("id");
    assertTrue(ids.indexOf(first) >= 0 && ids.indexOf(first) < ids.indexOf(second), ids.toString());
  }

  @Test
  void anInvalidTimeZoneIs400ProblemJson() {
    create(Map.of("name", "bad zone", "timeZone", "Mars/Olympus_Mons"))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("invalid_time_zone"))
        .body("status", is(400))
        .body("title", notNullValue())
        .body("detail", notNullValue());
  }

  @Test
  void aContactWithNeitherEmailNorPhoneIsValidationFailed() {
    create(Map.of("name", "no reach", "contacts", List.of(Map.of("name", "Nobody"))))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"))
        .body("errors.size()", org.hamcrest.Matchers.greaterThan(0));
    create(
            Map.of(
                "name",
                "blank reach",
                "contacts",
                List.of(Map.of("name", "Blank", "email", " ", "phone", ""))))
        .statusCode(400)
        .body("code", is("validation_failed"));
  }

  @Test
  void aNullContactIsValidationFailedNotAServerError() {
    admin()
        .contentType(ContentType.JSON)
        .body("{\"name\":\"null contact\",\"contacts\":[null]}")
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"));
  }

  @Test
  void invalidEmailOrPhoneIsValidationFailed() {
    create(Map.of("name", "bad email", "contacts", List.of(Map.of("email", "not-an-email"))))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"));
    create(Map.of("name", "bad phone", "contacts", List.of(Map.of("phone", "0612345678"))))
        .statusCode(400)
        .body("code", is("validation_failed"))
        .body("errors", hasItem(org.hamcrest.Matchers.containsString("E.164")));
  }

  @Test
  void aBlankOrMissingNameIs400() {
    create(Map.of("name", "   "))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"));
    create(Map.of("timeZone", "UTC"))
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is("validation_failed"));
    create(Map.of("name", "x".repeat(201))).statusCode(400).body("code", is("validation_failed"));
  }

  @Test
  void nonPositiveLimitsAreValidationFailed() {
    create(Map.of("name", "zero rate", "eventsPerSecond", 0))
        .statusCode(400)
        .body("code", is("validation_failed"));
    create(Map.of("name", "negative burst", "burst", -5))
        .statusCode(400)
        .body("code", is("validation_failed"));
  }

  @Test
  void malformedJsonIs400ProblemJson() {
    admin()
        .contentType(ContentType.JSON)
        .body("{\"name\": ")
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", notNullValue());
  }

  @Test
  void anEmptyBodyIs400() {
    admin()
        .contentType(ContentType.JSON)
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON);
  }

  @Test
  void anUnknownWorkspaceIs404ProblemJson() {
    UUID unknown = UUID.randomUUID();
    admin()
        .get("/admin/v1/workspaces/{id}", unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"))
        .body("status", is(404));
    admin()
        .get("/admin/v1/workspaces/{id}/sources", unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "orphan"))
        .post("/admin/v1/workspaces/{id}/sources", unknown)
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
  }

  @Test
  void aMalformedIdIs404() {
    admin().get("/admin/v1/workspaces/not-a-uuid").then().statusCode(404).contentType(PROBLEM_JSON);
  }

  @Test
  void adminEndpointsNeedTheAdminToken() {
    given()
        .get("/admin/v1/workspaces")
        .then()
        .statusCode(401)
        .contentType(PROBLEM_JSON)
        .body("code", is("unauthorized"));
    given()
        .header("Authorization", "Bearer wrong-token")
        .get("/admin/v1/workspaces")
        .then()
        .statusCode(401)
        .contentType(PROBLEM_JSON)
        .body("code", is("unauthorized"));
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .get("/admin/v1/workspaces")
        .then()
        .statusCode(401)
        .contentType(PROBLEM_JSON);
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "by service"))
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "test-admin-token")
        .get("/admin/v1/workspaces")
        .then()
        .statusCode(401);
    given().header("Authorization", "Bearer ").get("/admin/v1/workspaces").then().statusCode(401);
  }

  @Test
  void theAdminTokenSchemeIsCaseInsensitive() {
    given()
        .header("Authorization", "bearer test-admin-token")
        .get("/admin/v1/workspaces")
        .then()
        .statusCode(200);
  }

  @Test
  void unauthorizedRequestsCreateNothing() {
    String name = "sneaky " + UUID.randomUUID();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", name))
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(401);
    List<String> names =
        admin()
            .get("/admin/v1/workspaces")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("name");
    assertFalse(names.contains(name));
  }
}
