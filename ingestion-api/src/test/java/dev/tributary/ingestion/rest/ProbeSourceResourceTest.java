package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.ADMIN_TOKEN;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.newMessageId;
import static dev.tributary.ingestion.Accounts.onlyEvent;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The sla-evaluator's probe sources: ensured idempotently in the one probe workspace, key rotation,
 * validation, the service token, and the probe workspace left out of the directory.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ProbeSourceResourceTest {

  static final String PROBLEM_JSON = "application/problem+json";

  private static ValidatableResponse put(String name, Object body) {
    return given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .put("/internal/v1/probe-sources/{name}", name)
        .then();
  }

  private static ValidatableResponse put(String name, String writeKey) {
    return put(name, Map.of("writeKey", writeKey));
  }

  private static String newName() {
    return "probe-" + UUID.randomUUID();
  }

  /** A key as the sla-evaluator would derive it: long and unguessable. */
  private static String newKey() {
    return "probe-key-" + UUID.randomUUID();
  }

  private static void track(String writeKey, int status) {
    tracking(writeKey)
        .body(validEvent("track", newMessageId()))
        .post("/v1/track")
        .then()
        .statusCode(status);
  }

  @Test
  void putCreatesTheSourceInTheProbeWorkspaceAndRepeatsIdempotently() {
    String name = newName();
    String key = newKey();
    JsonPath first =
        put(name, key)
            .statusCode(200)
            .contentType(ContentType.JSON)
            .body("workspaceId", notNullValue())
            .body("sourceId", notNullValue())
            .body("name", is(name))
            .extract()
            .jsonPath();
    String workspaceId = first.getString("workspaceId");
    String sourceId = first.getString("sourceId");

    put(name, key)
        .statusCode(200)
        .body("workspaceId", is(workspaceId))
        .body("sourceId", is(sourceId))
        .body("name", is(name));

    // Another probe source lands in the same probe workspace.
    put(newName(), newKey()).statusCode(200).body("workspaceId", is(workspaceId));

    admin()
        .get("/admin/v1/workspaces/{id}", workspaceId)
        .then()
        .statusCode(200)
        .body("name", is("Tributary probes"))
        .body("kind", is("PROBE"));
    admin()
        .get("/admin/v1/sources/{id}", sourceId)
        .then()
        .statusCode(200)
        .body("workspaceId", is(workspaceId))
        .body("name", is(name))
        .body("writeKeyHint", is(key.substring(0, 4) + "…"));
    List<String> names =
        admin()
            .get("/admin/v1/workspaces/{id}/sources", workspaceId)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("name");
    assertEquals(1, names.stream().filter(name::equals).count(), "sources: " + names);
  }

  @Test
  void concurrentCallsCreateOneWorkspaceAndOneSource() throws Exception {
    String name = newName();
    String key = newKey();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<String>>> calls =
          IntStream.range(0, 8)
              .<Callable<List<String>>>mapToObj(
                  i ->
                      () -> {
                        JsonPath answer = put(name, key).statusCode(200).extract().jsonPath();
                        return List.of(
                            answer.getString("workspaceId"), answer.getString("sourceId"));
                      })
              .toList();
      Set<List<String>> answers =
          pool.invokeAll(calls).stream()
              .map(ProbeSourceResourceTest::get)
              .collect(Collectors.toSet());
      assertEquals(1, answers.size(), "answers: " + answers);
    } finally {
      pool.shutdownNow();
    }
    List<Map<String, Object>> probes =
        admin()
            .get("/admin/v1/workspaces")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .<Map<String, Object>>getList("$")
            .stream()
            .filter(workspace -> "PROBE".equals(workspace.get("kind")))
            .toList();
    assertEquals(1, probes.size(), "probe workspaces: " + probes);
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aChangedKeyReplacesTheOldOneAtOnce() {
    String name = newName();
    String oldKey = newKey();
    String sourceId = put(name, oldKey).statusCode(200).extract().path("sourceId");
    track(oldKey, 200);

    String newKey = newKey();
    put(name, newKey).statusCode(200).body("sourceId", is(sourceId));

    // The authenticator cached the old key on the first call; the change cleared it.
    tracking(oldKey)
        .body(validEvent("track", newMessageId()))
        .post("/v1/track")
        .then()
        .statusCode(401)
        .body("code", is("invalid_write_key"));
    track(newKey, 200);
    admin()
        .get("/admin/v1/sources/{id}", sourceId)
        .then()
        .body("writeKeyHint", is(newKey.substring(0, 4) + "…"));
  }

  @Test
  void eventsSentWithTheProbeKeyAreStoredUnderTheProbeWorkspace() {
    String name = newName();
    String key = newKey();
    JsonPath ensured = put(name, key).statusCode(200).extract().jsonPath();
    String messageId = newMessageId();
    tracking(key).body(validEvent("track", messageId)).post("/v1/track").then().statusCode(200);

    Map<String, Object> stored = onlyEvent(ensured.getString("sourceId"));
    assertEquals(messageId, stored.get("messageId"));
    // No customer workspace's source received it.
    String raw =
        admin()
            .get("/admin/v1/sources/{id}/events", ensured.getString("sourceId"))
            .then()
            .extract()
            .asString();
    assertFalse(raw.contains(key), "the write key appears in the stored events: " + raw);
    admin()
        .get("/admin/v1/workspaces/{id}", ensured.getString("workspaceId"))
        .then()
        .body("kind", is("PROBE"));
  }

  @Test
  void theProbeWorkspaceIsNotInTheDirectory() {
    String customer = Accounts.createWorkspace();
    String probe = put(newName(), newKey()).statusCode(200).extract().path("workspaceId");

    List<String> directory = Accounts.directoryIds();
    assertTrue(directory.contains(customer), "the customer workspace is in the directory");
    assertFalse(directory.contains(probe), "the probe workspace is not in the directory");
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .get("/internal/v1/workspaces/{id}", probe)
        .then()
        .statusCode(404)
        .body("code", is("not_found"));
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .get("/internal/v1/workspaces/{id}", customer)
        .then()
        .statusCode(200)
        .body("kind", is("CUSTOMER"));
    // Operators still see both, told apart by kind.
    admin()
        .get("/admin/v1/workspaces")
        .then()
        .statusCode(200)
        .body("find { it.id == '" + probe + "' }.kind", is("PROBE"))
        .body("find { it.id == '" + customer + "' }.kind", is("CUSTOMER"));
  }

  @Test
  void badInputIs422WithAStableCode() {
    put(newName(), "too-short").statusCode(422).contentType(PROBLEM_JSON);
    put(newName(), "x".repeat(201))
        .statusCode(422)
        .body("code", is("validation_failed"))
        .body("errors[0]", is("writeKey: must be 24 to 200 characters long"));
    put(newName(), Map.of())
        .statusCode(422)
        .body("code", is("validation_failed"))
        .body("errors[0]", is("writeKey: is required"));
    put("bad name!", newKey())
        .statusCode(422)
        .body("code", is("validation_failed"))
        .body("errors[0]", notNullValue());
    put("n".repeat(101), newKey()).statusCode(422).body("code", is("validation_failed"));
    // The longest key and name are fine.
    put("n".repeat(100), "k".repeat(200) + "").statusCode(200);
  }

  @Test
  void aKeyAnotherSourceHasOrARevokedKeyIsAConflict() {
    String key = newKey();
    put(newName(), key).statusCode(200);
    put(newName(), key).statusCode(409).body("code", is("write_key_in_use"));

    String name = newName();
    String revokedKey = newKey();
    String sourceId = put(name, revokedKey).statusCode(200).extract().path("sourceId");
    admin().delete("/admin/v1/sources/{id}", sourceId).then().statusCode(200);
    put(name, revokedKey).statusCode(409).body("code", is("write_key_revoked"));
    track(revokedKey, 401);

    // A new key makes the source active again.
    String freshKey = newKey();
    put(name, freshKey).statusCode(200).body("sourceId", is(sourceId));
    track(freshKey, 200);
    admin().get("/admin/v1/sources/{id}", sourceId).then().body("revokedAt", is((Object) null));
  }

  @Test
  void onlyTheServiceOrAdminTokenOpensIt() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("writeKey", newKey()))
        .put("/internal/v1/probe-sources/{name}", newName())
        .then()
        .statusCode(401)
        .body("code", is("unauthorized"));
    given()
        .header("Authorization", "Bearer not-a-token")
        .contentType(ContentType.JSON)
        .body(Map.of("writeKey", newKey()))
        .put("/internal/v1/probe-sources/{name}", newName())
        .then()
        .statusCode(401);
    given()
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .contentType(ContentType.JSON)
        .body(Map.of("writeKey", newKey()))
        .put("/internal/v1/probe-sources/{name}", newName())
        .then()
        .statusCode(200);
  }
}
