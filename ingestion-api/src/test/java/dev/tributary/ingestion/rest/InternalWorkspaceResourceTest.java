package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.ADMIN_TOKEN;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.tributary.ingestion.Accounts;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The workspaces as other services read them: service token, same shape as the admin API. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class InternalWorkspaceResourceTest {

  @Test
  void theServiceTokenReadsWorkspacesWithTheirContacts() {
    String id = Accounts.createWorkspace();
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .get("/internal/v1/workspaces")
        .then()
        .statusCode(200)
        .body("id", hasItem(id));
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .get("/internal/v1/workspaces/{id}", id)
        .then()
        .statusCode(200)
        .body("id", is(id))
        .body("timeZone", is("UTC"))
        .body("contacts[0].email", is("legal@example.com"));
  }

  @Test
  void theAdminTokenIsAcceptedAndOtherTokensAreNot() {
    given()
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .get("/internal/v1/workspaces")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", "Bearer not-a-token")
        .get("/internal/v1/workspaces")
        .then()
        .statusCode(401)
        .body("code", is("unauthorized"));
    given().get("/internal/v1/workspaces").then().statusCode(401);
  }

  @Test
  void anUnknownWorkspaceIsNotFound() {
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .get("/internal/v1/workspaces/{id}", UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("code", is("not_found"));
  }
}
