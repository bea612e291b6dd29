package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.ADMIN_TOKEN;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.directory;
import static dev.tributary.ingestion.Accounts.directoryPage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The workspaces as other services read them: service token, same shape as the admin API, in keyset
 * pages ordered by (createdAt, id).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class InternalWorkspaceResourceTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final String PROBLEM_JSON = "application/problem+json";

  /** The directory's order; PostgreSQL orders uuids as their lowercase text does. */
  static final Comparator<Map<String, Object>> DIRECTORY_ORDER =
      Comparator.<Map<String, Object>, Instant>comparing(
              w -> Instant.parse((String) w.get("createdAt")))
          .thenComparing(w -> (String) w.get("id"));

  @Inject Pool pool;

  /**
   * Stores {@code count} customer workspaces named {@code prefix + i}, each with three email
   * contacts, in one statement; three at a time share a creation time, so pages end in the middle
   * of a tie and the id must break it. Answers their ids in the directory's order.
   */
  List<String> seedWorkspaces(String prefix, int count, Instant createdFrom) {
    pool.preparedQuery(
            """
            insert into ingestion.workspaces (id, name, time_zone, created_at, kind)
            select gen_random_uuid(), $1 || i, 'UTC', $2 + (i / 3) * interval '1 microsecond',
                   'CUSTOMER'
            from generate_series(0, $3 - 1) i
            """)
        .execute(Tuple.of(prefix, createdFrom.atOffset(ZoneOffset.UTC), count))
        .await()
        .atMost(WAIT);
    pool.preparedQuery(
            """
            insert into ingestion.workspace_contacts (workspace_id, position, name, email)
            select w.id, p, 'Legal ' || p, 'legal-' || p || '@' || w.id || '.example'
            from ingestion.workspaces w, generate_series(0, 2) p
            where starts_with(w.name, $1)
            """)
        .execute(Tuple.of(prefix))
        .await()
        .atMost(WAIT);
    List<String> ids = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "select id from ingestion.workspaces where starts_with(name, $1)"
                    + " order by created_at, id")
            .execute(Tuple.of(prefix))
            .await()
            .atMost(WAIT)) {
      ids.add(row.getUUID("id").toString());
    }
    return ids;
  }

  long customerWorkspaces() {
    return pool.query("select count(*) from ingestion.workspaces where kind = 'CUSTOMER'")
        .execute()
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  static String probeWorkspace() {
    return given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("writeKey", "directory-test-probe-key-" + UUID.randomUUID()))
        .put("/internal/v1/probe-sources/{name}", "directory-test")
        .then()
        .statusCode(200)
        .extract()
        .path("workspaceId");
  }

  static void assertBadRequest(String code, Map<String, ?> query) {
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParams(query)
        .get("/internal/v1/workspaces")
        .then()
        .statusCode(400)
        .contentType(PROBLEM_JSON)
        .body("code", is(code));
  }

  @Test
  void theServiceTokenReadsWorkspacesWithTheirContacts() {
    String id = Accounts.createWorkspace();
    assertTrue(Accounts.directoryIds().contains(id));
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
  void aDirectoryOf2500WorkspacesIsReadInPagesOf1000EachExactlyOnceInOrder() {
    String probe = probeWorkspace();
    // Created long before the other tests' workspaces: they are the directory's first 2,500.
    List<String> seeded =
        seedWorkspaces(
            "paging-" + UUID.randomUUID() + "-", 2500, Instant.parse("2001-01-01T00:00:00Z"));

    List<Map<String, Object>> first = directoryPage(SERVICE_TOKEN, 1000, null);
    List<Map<String, Object>> second =
        directoryPage(SERVICE_TOKEN, 1000, (String) first.get(999).get("id"));
    // A workspace created while a reader pages through comes last: the pages do not shift.
    String createdMeanwhile = Accounts.createWorkspace();
    List<Map<String, Object>> third =
        directoryPage(SERVICE_TOKEN, 1000, (String) second.get(999).get("id"));
    List<Map<String, Object>> walked = new ArrayList<>(first);
    walked.addAll(second);
    walked.addAll(third);
    String last = (String) third.get(third.size() - 1).get("id");
    while (!last.equals(createdMeanwhile)) {
      List<Map<String, Object>> page = directoryPage(SERVICE_TOKEN, 1000, last);
      assertFalse(page.isEmpty(), "the workspace created meanwhile is on a later page");
      walked.addAll(page);
      last = (String) page.get(page.size() - 1).get("id");
    }
    assertEquals(List.of(), directoryPage(SERVICE_TOKEN, 1000, last), "after the last: empty");

    List<String> ids = walked.stream().map(w -> (String) w.get("id")).toList();
    assertEquals(seeded, ids.subList(0, 2500), "the seeded workspaces first, in (createdAt, id)");
    assertEquals(ids.size(), new HashSet<>(ids).size(), "each workspace exactly once");
    List<Map<String, Object>> sorted = new ArrayList<>(walked);
    sorted.sort(DIRECTORY_ORDER);
    assertEquals(walked, sorted, "oldest first by (createdAt, id)");
    assertEquals(customerWorkspaces(), ids.size(), "every customer workspace");
    assertFalse(ids.contains(probe), "no probe workspace");

    // Same item shape as the single read, contacts in their order.
    Map<String, Object> item = walked.get(1234);
    Map<String, Object> single =
        given()
            .header("Authorization", "Bearer " + SERVICE_TOKEN)
            .get("/internal/v1/workspaces/{id}", item.get("id"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getMap("$");
    assertEquals(single, item);
    assertEquals(
        List.of(
            Map.of("name", "Legal 0", "email", "legal-0@" + item.get("id") + ".example"),
            Map.of("name", "Legal 1", "email", "legal-1@" + item.get("id") + ".example"),
            Map.of("name", "Legal 2", "email", "legal-2@" + item.get("id") + ".example")),
        item.get("contacts"));
    assertEquals("CUSTOMER", item.get("kind"));
  }

  @Test
  void withoutLimitAPageHoldsAtMost1000AndTheLargestPageIs5000() {
    seedWorkspaces("default-page-" + UUID.randomUUID() + "-", 1100, Instant.now());
    List<Map<String, Object>> page =
        given()
            .header("Authorization", "Bearer " + SERVICE_TOKEN)
            .get("/internal/v1/workspaces")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");
    assertEquals(1000, page.size());
    List<Map<String, Object>> all = directory(SERVICE_TOKEN, 5000);
    assertEquals(customerWorkspaces(), all.size());
    assertEquals(page, all.subList(0, 1000), "the default page is the first 1,000");
  }

  @Test
  void limitsOutside1To5000AreInvalid() {
    for (String limit : new String[] {"0", "-1", "5001", "ten", "1.5"}) {
      assertBadRequest("invalid_limit", Map.of("limit", limit));
    }
    assertEquals(1, directoryPage(SERVICE_TOKEN, 1, null).size());
  }

  @Test
  void aCursorThatIsNotACustomerWorkspaceIsInvalid() {
    assertBadRequest("invalid_cursor", Map.of("after", "not-a-uuid"));
    assertBadRequest("invalid_cursor", Map.of("after", UUID.randomUUID().toString()));
    assertBadRequest("invalid_cursor", Map.of("after", probeWorkspace()));
    // The newest workspace is a valid cursor: nothing comes after it.
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParam("after", Accounts.createWorkspace())
        .get("/internal/v1/workspaces")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("size()", is(0));
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
