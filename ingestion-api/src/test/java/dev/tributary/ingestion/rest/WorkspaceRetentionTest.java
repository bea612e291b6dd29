package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.tributary.ingestion.Accounts;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A workspace's retention through the admin API: default, set, reset, and its limits. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WorkspaceRetentionTest {

  private static io.restassured.response.ValidatableResponse put(String id, Integer days) {
    Map<String, Object> body = new HashMap<>();
    body.put("retentionDays", days);
    return admin()
        .contentType(ContentType.JSON)
        .body(body)
        .put("/admin/v1/workspaces/{id}/retention", id)
        .then();
  }

  @Test
  void aWorkspaceKeepsTheDefaultUntilItSetsItsOwnAndNullResetsIt() {
    String id = Accounts.createWorkspace();
    admin()
        .get("/admin/v1/workspaces/{id}", id)
        .then()
        .statusCode(200)
        .body("retentionDays", is(90));
    put(id, 30).statusCode(200).body("retentionDays", is(30));
    admin().get("/admin/v1/workspaces/{id}", id).then().body("retentionDays", is(30));
    put(id, 400).statusCode(200).body("retentionDays", is(400));
    put(id, null).statusCode(200).body("retentionDays", is(90));
  }

  @Test
  void outOfRangeRetentionIsAProblemWithAStableCode() {
    String id = Accounts.createWorkspace();
    for (int days : new int[] {0, -1, 401}) {
      put(id, days)
          .statusCode(400)
          .contentType(WorkspaceResourceTest.PROBLEM_JSON)
          .body("code", is("retention_out_of_range"))
          .body("detail", containsString("between 1 and 400"));
    }
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "too long", "retentionDays", 1000))
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(400)
        .body("code", is("retention_out_of_range"));
    admin()
        .contentType(ContentType.JSON)
        .body(Map.of("name", "short", "retentionDays", 7))
        .post("/admin/v1/workspaces")
        .then()
        .statusCode(201)
        .body("retentionDays", is(7));
    put(UUID.randomUUID().toString(), 30).statusCode(404).body("code", is("not_found"));
  }
}
