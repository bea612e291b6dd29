package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.admin;
import static dev.tributary.ingestion.Accounts.createSource;
import static dev.tributary.ingestion.Accounts.createWorkspace;
import static dev.tributary.ingestion.Accounts.newMessageId;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static java.time.ZoneOffset.UTC;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.config.RegulationsConfig;
import dev.tributary.ingestion.repository.EventWriter;
import dev.tributary.ingestion.repository.RegulationRepository;
import dev.tributary.ingestion.repository.RegulationRepository.SubjectPartition;
import dev.tributary.ingestion.repository.RetentionRepository;
import dev.tributary.ingestion.service.EventRow;
import dev.tributary.ingestion.service.RegulationJob;
import dev.tributary.ingestion.service.SubjectHasher;
import dev.tributary.ingestion.service.SubjectType;
import dev.tributary.ingestion.service.SuppressionWatch;
import dev.tributary.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Regulations end to end through the admin and Tracking APIs on real PostgreSQL: deletion across
 * sources and day partitions, suppression on the hot path (this replica and a second one reading
 * the same database, and after a reload), UNSUPPRESS, the records' privacy, validation.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RegulationResourceTest {

  static final String PROBLEM_JSON = "application/problem+json";
  static final Duration WAIT = Duration.ofSeconds(60);

  @Inject Pool pool;
  @Inject EventWriter writer;
  @Inject SubjectHasher hasher;
  @Inject SuppressionWatch suppressions;
  @Inject RegulationJob job;
  @Inject RegulationRepository regulations;
  @Inject RetentionRepository partitions;
  @Inject RegulationsConfig config;
  @Inject ObjectMapper mapper;

  private static Map<String, Object> eventOf(String field, String subject) {
    Map<String, Object> event = validEvent("track", newMessageId());
    event.remove("userId");
    event.put(field, subject);
    return event;
  }

  private static void sendStored(TestSource source, String field, String subject) {
    tracking(source.writeKey())
        .body(eventOf(field, subject))
        .when()
        .post("/v1/track")
        .then()
        .statusCode(200)
        .body("success", is(true));
  }

  /** An event of the subject received at {@code receivedAt} (another day's partition). */
  private void storeOn(TestSource source, String field, String subject, Instant receivedAt) {
    String messageId = newMessageId();
    Map<String, Object> payload = new HashMap<>(eventOf(field, subject));
    payload.put("messageId", messageId);
    payload.put("type", "track");
    String json;
    try {
      json = mapper.writeValueAsString(payload);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Uni.createFrom()
        .completionStage(
            writer.write(
                List.of(
                    new EventRow(
                        UUID.fromString(source.sourceId()),
                        messageId,
                        UUID.fromString(source.workspaceId()),
                        "track",
                        receivedAt,
                        receivedAt,
                        json.getBytes(StandardCharsets.UTF_8)))))
        .await()
        .atMost(WAIT);
  }

  /** Stored events of the subject in the workspace, and in how many partitions they lie. */
  private long[] stored(String workspaceId, String field, String subject) {
    Row row =
        pool.preparedQuery(
                "select count(*), count(distinct tableoid) from ingestion.events"
                    + " where workspace_id = $1 and payload ->> '"
                    + field
                    + "' = $2")
            .execute(Tuple.of(UUID.fromString(workspaceId), subject))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    return new long[] {row.getLong(0), row.getLong(1)};
  }

  private static JsonPath regulate(
      String workspaceId, String type, String subjectType, List<String> ids) {
    Map<String, Object> body = new HashMap<>();
    body.put("regulationType", type);
    body.put("subjectType", subjectType);
    body.put("subjectIds", ids);
    body.put("requestedBy", "dpo@example.com, ticket 4711");
    return admin()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/admin/v1/workspaces/{id}/regulations", workspaceId)
        .then()
        .statusCode(202)
        .extract()
        .jsonPath();
  }

  private static JsonPath regulation(String workspaceId, String id) {
    return admin()
        .when()
        .get("/admin/v1/workspaces/{id}/regulations/{rid}", workspaceId, id)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private JsonPath awaitFinished(String workspaceId, String id) {
    JsonPath[] last = new JsonPath[1];
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last[0] = regulation(workspaceId, id);
              return "FINISHED".equals(last[0].getString("status"));
            });
    return last[0];
  }

  private static Instant tomorrowNoon() {
    return LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
  }

  @Test
  void suppressWithDeleteDeletesEverySourceAndDayAndSuppressesNewEvents() {
    String workspace = createWorkspace();
    TestSource web = createSource(workspace);
    TestSource app = createSource(workspace);
    TestSource otherWorkspace = createSource(createWorkspace());
    for (TestSource source : List.of(web, app)) {
      sendStored(source, "userId", "alice");
      storeOn(source, "userId", "alice", tomorrowNoon());
      sendStored(source, "userId", "bob");
    }
    sendStored(otherWorkspace, "userId", "alice");
    assertEquals(4, stored(workspace, "userId", "alice")[0]);
    assertEquals(2, stored(workspace, "userId", "alice")[1], "two day partitions");

    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JsonPath created =
        regulate(workspace, "SUPPRESS_WITH_DELETE", "USER_ID", List.of("alice", "alice"));
    String id = created.getString("id");
    assertEquals("SUPPRESS_WITH_DELETE", created.getString("regulationType"));
    assertEquals(1, created.getInt("subjectCount"), "the ids are distinct");
    assertEquals("dpo@example.com, ticket 4711", created.getString("requestedBy"));
    Instant requestedAt = Instant.parse(created.getString("requestedAt"));
    assertFalse(requestedAt.isBefore(before));
    assertEquals(
        requestedAt.plus(Duration.ofDays(30)), Instant.parse(created.getString("deadline")));

    JsonPath done = awaitFinished(workspace, id);
    assertEquals(4, done.getLong("eventsDeleted"));
    assertFalse(done.getBoolean("subjectIdsRetained"));
    assertFalse(done.getBoolean("overdue"));
    assertEquals(0, stored(workspace, "userId", "alice")[0], "every source, every day");
    assertEquals(2, stored(workspace, "userId", "bob")[0], "another subject's events stay");
    assertEquals(
        1, stored(otherWorkspace.workspaceId(), "userId", "alice")[0], "another workspace's stay");

    // Suppressed from now on: acknowledged, not stored.
    sendStored(web, "userId", "alice");
    assertEquals(0, stored(workspace, "userId", "alice")[0]);
    assertNoPlaintext("alice");
  }

  @Test
  void deleteOnlyDeletesTheAnonymousIdsEventsAndStoresTheNewOnes() {
    String workspace = createWorkspace();
    TestSource web = createSource(workspace);
    TestSource app = createSource(workspace);
    sendStored(web, "anonymousId", "anon-7");
    storeOn(app, "anonymousId", "anon-7", tomorrowNoon());
    // Only its userId names alice: an ANONYMOUS_ID regulation of "alice" must not touch it.
    sendStored(web, "userId", "anon-7");

    String id =
        regulate(workspace, "DELETE_ONLY", "ANONYMOUS_ID", List.of("anon-7")).getString("id");
    JsonPath done = awaitFinished(workspace, id);
    assertEquals(2, done.getLong("eventsDeleted"));
    assertEquals(0, stored(workspace, "anonymousId", "anon-7")[0]);
    assertEquals(1, stored(workspace, "userId", "anon-7")[0], "the other subject type stays");

    sendStored(web, "anonymousId", "anon-7");
    assertEquals(1, stored(workspace, "anonymousId", "anon-7")[0], "not suppressed");
    assertNoPlaintext("anon-7");
  }

  @Test
  void suppressionAppliesAtOnceSurvivesAReloadReachesASecondReplicaAndUnsuppressEndsIt() {
    String workspace = createWorkspace();
    TestSource source = createSource(workspace);
    TestSource otherWorkspace = createSource(createWorkspace());

    JsonPath suppression = regulate(workspace, "SUPPRESS_ONLY", "USER_ID", List.of("carol"));
    assertEquals("FINISHED", suppression.getString("status"), "nothing to delete");
    assertEquals(0, suppression.getLong("eventsDeleted"));

    sendStored(source, "userId", "carol");
    tracking(source.writeKey())
        .body(
            Map.of(
                "batch",
                List.of(
                    withType(eventOf("userId", "carol")),
                    withType(eventOf("userId", "dave")),
                    withType(eventOf("userId", "carol")))))
        .when()
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("success", is(true));
    sendStored(otherWorkspace, "userId", "carol");
    assertEquals(0, stored(workspace, "userId", "carol")[0], "suppressed, single and batch");
    assertEquals(1, stored(workspace, "userId", "dave")[0]);
    assertEquals(1, stored(otherWorkspace.workspaceId(), "userId", "carol")[0]);
    Awaitility.await().atMost(WAIT).until(() -> suppressedInStats(workspace) == 3);

    // A second replica (or this one after a restart) reads the same database.
    SuppressionWatch secondReplica = new SuppressionWatch(pool, hasher, new SimpleMeterRegistry());
    assertFalse(
        secondReplica.isSuppressed(UUID.fromString(workspace), user("carol")), "not loaded");
    secondReplica.refresh().await().atMost(WAIT);
    assertTrue(secondReplica.isSuppressed(UUID.fromString(workspace), user("carol")));
    assertFalse(secondReplica.isSuppressed(UUID.fromString(workspace), user("dave")));
    assertFalse(
        secondReplica.isSuppressed(UUID.fromString(otherWorkspace.workspaceId()), user("carol")));

    JsonPath lifted = regulate(workspace, "UNSUPPRESS", "USER_ID", List.of("carol"));
    assertEquals("FINISHED", lifted.getString("status"));
    sendStored(source, "userId", "carol");
    assertEquals(1, stored(workspace, "userId", "carol")[0], "stored again");
    secondReplica.refresh().await().atMost(WAIT);
    assertFalse(secondReplica.isSuppressed(UUID.fromString(workspace), user("carol")));

    // The suppression is kept as a keyed hash only.
    assertNoPlaintext("carol");
    List<JsonPath> listed = new ArrayList<>();
    JsonPath page =
        admin()
            .queryParam("limit", 1)
            .when()
            .get("/admin/v1/workspaces/{id}/regulations", workspace)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    listed.add(page);
    assertEquals(lifted.getString("id"), page.getString("regulations[0].id"), "newest first");
    JsonPath second =
        admin()
            .queryParam("limit", 1)
            .queryParam("after", page.getString("next"))
            .when()
            .get("/admin/v1/workspaces/{id}/regulations", workspace)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(suppression.getString("id"), second.getString("regulations[0].id"));
    assertEquals(null, second.getString("next"));
  }

  @Test
  void aDeletionWhoseReplicaStoppedIsResumedButALiveLeaseIsLeftAlone() {
    String workspace = createWorkspace();
    TestSource source = createSource(workspace);
    for (int i = 0; i < 30; i++) {
      storeOn(source, "userId", "erin", tomorrowNoon().plusSeconds(i));
    }
    for (int i = 0; i < 5; i++) {
      storeOn(source, "userId", "frank", tomorrowNoon().plusSeconds(i));
    }
    Instant now = Instant.now();
    // A replica stopped while deleting erin's events: its lease expired a minute ago.
    UUID abandoned = runningDeletion(workspace, "erin", now.minus(Duration.ofMinutes(1)));
    // Another replica is deleting frank's right now.
    UUID leased = runningDeletion(workspace, "frank", now.plus(Duration.ofMinutes(10)));

    job.run().await().atMost(WAIT);
    JsonPath resumed = awaitFinished(workspace, abandoned.toString());
    assertEquals(30, resumed.getLong("eventsDeleted"), "in batches of delete-batch (7 here)");
    assertEquals(0, stored(workspace, "userId", "erin")[0]);
    assertEquals("RUNNING", regulation(workspace, leased.toString()).getString("status"));
    assertEquals(5, stored(workspace, "userId", "frank")[0], "the live lease is respected");

    pool.preparedQuery("update ingestion.regulations set lease_until = $2 where id = $1")
        .execute(Tuple.of(leased, now.minusSeconds(1).atOffset(ZoneOffset.UTC)))
        .await()
        .atMost(WAIT);
    assertEquals(5, awaitFinished(workspace, leased.toString()).getLong("eventsDeleted"));
  }

  @Test
  void endedDaysGetSubjectIndexesThatADeletionUses() {
    String workspace = createWorkspace();
    TestSource source = createSource(workspace);
    for (int i = 0; i < 20; i++) {
      storeOn(source, "userId", "grace", Instant.now());
      storeOn(source, "userId", "grace", tomorrowNoon().plusSeconds(i));
    }
    try {
      // Neither day has ended: their partitions get no index, so their inserts maintain none.
      jobAt(Clock.systemUTC()).buildIndexes().await().atMost(WAIT);
      assertEquals(Map.of(true, 2, false, 0), indexedByDay(workspace));

      // The day after tomorrow, both days have ended.
      RegulationJob later = jobAt(Clock.fixed(tomorrowNoon().plus(Duration.ofDays(1)), UTC));
      assertTrue(later.buildIndexes().await().atMost(WAIT) >= 2, "userId and anonymousId");
      assertEquals(Map.of(true, 0, false, 2), indexedByDay(workspace));
      assertEquals(0, later.buildIndexes().await().atMost(WAIT), "nothing left to build");

      String id = regulate(workspace, "DELETE_ONLY", "USER_ID", List.of("grace")).getString("id");
      assertEquals(40, awaitFinished(workspace, id).getLong("eventsDeleted"));
      assertEquals(0, stored(workspace, "userId", "grace")[0]);
    } finally {
      // The other tests' deletions scan unindexed partitions in blocks.
      for (Row index :
          pool.query(
                  "select indexname from pg_indexes where schemaname = 'ingestion'"
                      + " and indexname like '%\\_subject\\_%'")
              .execute()
              .await()
              .atMost(WAIT)) {
        pool.query("drop index ingestion." + index.getString(0)).execute().await().atMost(WAIT);
      }
    }
  }

  private RegulationJob jobAt(Clock clock) {
    return new RegulationJob(regulations, partitions, config, clock, new SimpleMeterRegistry());
  }

  /**
   * Of the partitions holding the workspace's events, how many lack (true) and have (false) their
   * userId index.
   */
  private Map<Boolean, Integer> indexedByDay(String workspace) {
    List<String> holding = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "select distinct tableoid::regclass::text from ingestion.events"
                    + " where workspace_id = $1")
            .execute(Tuple.of(UUID.fromString(workspace)))
            .await()
            .atMost(WAIT)) {
      holding.add(row.getString(0).replace("ingestion.", ""));
    }
    Map<Boolean, Integer> counts = new HashMap<>(Map.of(true, 0, false, 0));
    for (SubjectPartition p :
        regulations.subjectPartitions(SubjectType.USER_ID.indexSuffix()).await().atMost(WAIT)) {
      if (holding.contains(p.name())) {
        counts.merge(!p.indexed(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private UUID runningDeletion(String workspace, String subject, Instant leaseUntil) {
    UUID id = UUID.randomUUID();
    Instant requested = Instant.now().minus(Duration.ofHours(1));
    pool.preparedQuery(
            """
            insert into ingestion.regulations (id, workspace_id, regulation_type, subject_type,
                subject_count, subject_ids, status, requested_at, deadline_at, started_at,
                lease_owner, lease_until)
            values ($1, $2, 'DELETE_ONLY', 'USER_ID', 1, $3, 'RUNNING', $4, $5, $4, $6, $7)
            """)
        .execute(
            Tuple.tuple()
                .addUUID(id)
                .addUUID(UUID.fromString(workspace))
                .addArrayOfString(new String[] {subject})
                .addOffsetDateTime(requested.atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(requested.plus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC))
                .addUUID(UUID.randomUUID())
                .addOffsetDateTime(leaseUntil.atOffset(ZoneOffset.UTC)))
        .await()
        .atMost(WAIT);
    return id;
  }

  @Test
  void validationErrorsAreProblemsWithStableCodes() {
    String workspace = createWorkspace();
    problem(
        workspace,
        Map.of("regulationType", "FORGET", "subjectType", "USER_ID", "subjectIds", List.of("x")),
        400,
        "invalid_regulation_type");
    problem(
        workspace,
        Map.of("regulationType", "DELETE_ONLY", "subjectType", "EMAIL", "subjectIds", List.of("x")),
        400,
        "invalid_subject_type");
    problem(
        workspace,
        Map.of("regulationType", "DELETE_ONLY", "subjectType", "USER_ID", "subjectIds", List.of()),
        400,
        "subject_ids_empty");
    problem(
        workspace,
        Map.of("regulationType", "DELETE_ONLY", "subjectType", "USER_ID"),
        400,
        "subject_ids_empty");
    problem(
        workspace,
        Map.of(
            "regulationType", "DELETE_ONLY", "subjectType", "USER_ID", "subjectIds", List.of("")),
        400,
        "invalid_subject_id");
    problem(
        workspace,
        Map.of(
            "regulationType", "DELETE_ONLY",
            "subjectType", "USER_ID",
            "subjectIds", Collections.nCopies(5001, "x")),
        400,
        "too_many_subject_ids");
    problem(
        UUID.randomUUID().toString(),
        Map.of(
            "regulationType", "DELETE_ONLY", "subjectType", "USER_ID", "subjectIds", List.of("x")),
        404,
        "not_found");
    admin()
        .when()
        .get("/admin/v1/workspaces/{id}/regulations/{rid}", workspace, UUID.randomUUID())
        .then()
        .statusCode(404)
        .contentType(PROBLEM_JSON)
        .body("code", is("not_found"));
    given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "regulationType",
                "DELETE_ONLY",
                "subjectType",
                "USER_ID",
                "subjectIds",
                List.of("x")))
        .when()
        .post("/admin/v1/workspaces/{id}/regulations", workspace)
        .then()
        .statusCode(401);
    assertEquals(
        0, count("select count(*) from ingestion.regulations where workspace_id = $1", workspace));
  }

  private static void problem(String workspace, Map<String, Object> body, int status, String code) {
    admin()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/admin/v1/workspaces/{id}/regulations", workspace)
        .then()
        .statusCode(status)
        .contentType(PROBLEM_JSON)
        .body("code", is(code));
  }

  private static Map<String, Object> withType(Map<String, Object> event) {
    event.put("type", "track");
    return event;
  }

  private ObjectNode user(String userId) {
    return mapper.createObjectNode().put("userId", userId);
  }

  private long suppressedInStats(String workspace) {
    return count(
        "select coalesce(sum(events_suppressed), 0) from ingestion.request_stats"
            + " where workspace_id = $1",
        workspace);
  }

  private long count(String sql, String workspace) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(UUID.fromString(workspace)))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  /** No regulation table holds the subject id in the clear once the work is done. */
  private void assertNoPlaintext(String subject) {
    long rows =
        pool.preparedQuery(
                "select (select count(*) from ingestion.regulations r where r::text like $1)"
                    + " + (select count(*) from ingestion.suppressed_subjects s where s::text like $1)")
            .execute(Tuple.of("%" + subject + "%"))
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getLong(0);
    assertEquals(0, rows, subject + " in the clear");
    assertNotEquals(
        0, hasher.hash(dev.tributary.ingestion.service.SubjectType.USER_ID, subject).length);
  }
}
