package dev.tributary.notice.rest;

import static dev.tributary.notice.IngestionApiStub.ACME;
import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.generalByEmail;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.workspaces;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workspace's notices and deliveries are its own: a notice to Acme appears in Acme's lists and
 * not in Globex's, and Acme's deliveries go to Acme's contact addresses only. Every workspace path
 * needs a token, and without one the answer is the same whether the workspace exists or not.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class WorkspaceIsolationTest {

  @Inject TestClock clock;

  @BeforeEach
  void monday() {
    clock.set(TestClock.MONDAY);
  }

  @Test
  void eachWorkspaceSeesOnlyItsOwnNoticesAndDeliveries() {
    String toAcme = create(generalByEmail(workspaces(ACME))).statusCode(201).extract().path("id");
    String toGlobex =
        create(generalByEmail(workspaces(GLOBEX))).statusCode(201).extract().path("id");

    List<String> acmeNotices = ids("/v1/workspaces/{id}/notices", ACME);
    List<String> globexNotices = ids("/v1/workspaces/{id}/notices", GLOBEX);
    assertTrue(acmeNotices.contains(toAcme));
    assertFalse(acmeNotices.contains(toGlobex), "Globex's notice in Acme's list");
    assertTrue(globexNotices.contains(toGlobex));
    assertFalse(globexNotices.contains(toAcme), "Acme's notice in Globex's list");

    JsonPath acme = deliveries(ACME);
    JsonPath globex = deliveries(GLOBEX);
    assertTrue(acme.getList("workspaceId").stream().allMatch(ACME::equals), acme.prettify());
    assertTrue(globex.getList("workspaceId").stream().allMatch(GLOBEX::equals), globex.prettify());
    assertTrue(acme.getList("address").contains("legal@acme.example"));
    assertFalse(acme.prettify().contains("globex"), "Globex's address in Acme's deliveries");
    assertEquals(
        List.of("counsel@globex.example"), globex.getList("address").stream().distinct().toList());
    assertFalse(acme.getList("noticeId").contains(toGlobex));
    assertFalse(globex.getList("noticeId").contains(toAcme));
  }

  @Test
  void withoutATokenNoWorkspacePathTellsWhetherTheWorkspaceExists() {
    String unknown = UUID.randomUUID().toString();
    for (String suffix : List.of("/notices", "/deliveries")) {
      for (String authorization : List.of("", "Bearer wrong-token", "Basic dGVzdDo=")) {
        Response known = request(authorization, ACME + suffix);
        Response missing = request(authorization, unknown + suffix);
        assertEquals(401, known.statusCode(), suffix);
        assertEquals(known.statusCode(), missing.statusCode(), suffix);
        assertEquals(known.contentType(), missing.contentType(), suffix);
        assertEquals(known.asString(), missing.asString(), suffix);
      }
    }
  }

  static Response request(String authorization, String workspacePath) {
    var request = given();
    if (!authorization.isEmpty()) {
      request.header("Authorization", authorization);
    }
    return request.get("/v1/workspaces/" + workspacePath);
  }

  static List<String> ids(String path, String workspace) {
    return service().get(path, workspace).then().statusCode(200).extract().jsonPath().getList("id");
  }

  static JsonPath deliveries(String workspace) {
    return service()
        .get("/v1/workspaces/{id}/deliveries", workspace)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
