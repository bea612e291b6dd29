package dev.tributary.ingestion.rest;

import static dev.tributary.ingestion.Accounts.ADMIN_TOKEN;
import static dev.tributary.ingestion.Accounts.SERVICE_TOKEN;
import static dev.tributary.ingestion.Accounts.batchItem;
import static dev.tributary.ingestion.Accounts.newSource;
import static dev.tributary.ingestion.Accounts.tracking;
import static dev.tributary.ingestion.Accounts.validEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.ingestion.Accounts.TestSource;
import dev.tributary.ingestion.repository.RequestStatsRepository;
import dev.tributary.ingestion.repository.RequestStatsRepository.MinuteCounts;
import dev.tributary.ingestion.service.RequestOutcome;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Per-workspace, per-minute request statistics on the internal API (service token), in keyset pages
 * ordered by (minute, workspaceId).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RequestStatsResourceTest {

  /** Sums of a workspace's rows; a test may cross a minute boundary. */
  record Totals(
      long requests,
      long eventsAccepted,
      long eventsRejected,
      long rejected4xx,
      long throttled429,
      long failed5xx) {}

  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject RequestStatsRepository repository;

  /** A row's place in the order of the pages: its minute, then its workspace (as text). */
  record RowKey(Instant minute, String workspaceId) {
    static final Comparator<RowKey> ORDER =
        Comparator.comparing(RowKey::minute).thenComparing(RowKey::workspaceId);

    static RowKey of(Map<String, Object> row) {
      return new RowKey(Instant.parse((String) row.get("minute")), (String) row.get("workspaceId"));
    }
  }

  /**
   * Stores one row per workspace and minute for {@code minutes} minutes from {@code start}, with
   * {@code eventsAccepted} = 1; answers their keys in the pages' order.
   */
  List<RowKey> seedRows(List<UUID> workspaces, Instant start, int minutes) {
    List<MinuteCounts> rows = new ArrayList<>();
    List<RowKey> keys = new ArrayList<>();
    for (UUID workspace : workspaces) {
      for (int m = 0; m < minutes; m++) {
        MinuteCounts counts = new MinuteCounts(workspace, start.plus(Duration.ofMinutes(m)));
        counts.add(RequestOutcome.ACCEPTED, 1, 0, 3);
        rows.add(counts);
        keys.add(new RowKey(counts.minute(), workspace.toString()));
      }
    }
    repository.addAll(rows).await().atMost(WAIT);
    keys.sort(RowKey.ORDER);
    return keys;
  }

  static List<UUID> workspaces(int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(UUID.randomUUID());
    }
    return ids;
  }

  /** A page request; limit null: the default; after null: the first page. */
  static RequestSpecification pageRequest(
      Instant from, Instant to, UUID workspaceId, Integer limit, RowKey after) {
    RequestSpecification request =
        given()
            .header("Authorization", "Bearer " + SERVICE_TOKEN)
            .queryParam("from", from.toString())
            .queryParam("to", to.toString());
    if (workspaceId != null) {
      request.queryParam("workspaceId", workspaceId.toString());
    }
    if (limit != null) {
      request.queryParam("limit", limit);
    }
    if (after != null) {
      request
          .queryParam("afterMinute", after.minute().toString())
          .queryParam("afterWorkspaceId", after.workspaceId());
    }
    return request;
  }

  static List<Map<String, Object>> page(
      Instant from, Instant to, UUID workspaceId, Integer limit, RowKey after) {
    return pageRequest(from, to, workspaceId, limit, after)
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  /** Every row of the range, read page after page until a page is not full. */
  static List<Map<String, Object>> allPages(Instant from, Instant to, UUID workspaceId, int limit) {
    List<Map<String, Object>> all = new ArrayList<>();
    List<Map<String, Object>> page = page(from, to, workspaceId, limit, null);
    all.addAll(page);
    while (page.size() == limit) {
      page = page(from, to, workspaceId, limit, RowKey.of(page.get(page.size() - 1)));
      all.addAll(page);
    }
    return all;
  }

  static void assertBadRequest(String code, RequestSpecification request) {
    request
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", is(code));
  }

  static List<Map<String, Object>> rows(
      String token, Instant from, Instant to, String workspaceId) {
    return given()
        .header("Authorization", "Bearer " + token)
        .queryParam("from", from.toString())
        .queryParam("to", to.toString())
        .queryParam("workspaceId", workspaceId)
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  static Totals totals(List<Map<String, Object>> rows) {
    long[] sums = new long[6];
    String[] fields = {
      "requests", "eventsAccepted", "eventsRejected", "rejected4xx", "throttled429", "failed5xx"
    };
    for (Map<String, Object> row : rows) {
      for (int i = 0; i < fields.length; i++) {
        sums[i] += ((Number) row.get(fields[i])).longValue();
      }
    }
    return new Totals(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]);
  }

  static Map<String, Object> batchOf(int valid, int invalid, String prefix) {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < valid; i++) {
      batch.add(batchItem("track", prefix + i));
    }
    for (int i = 0; i < invalid; i++) {
      Map<String, Object> bad = batchItem("track", prefix + "bad-" + i);
      bad.remove("event");
      batch.add(bad);
    }
    return Map.of("batch", batch);
  }

  @Test
  void acceptedRejectedAndThrottledRequestsAreCountedPerWorkspaceAndMinute() {
    // 1 event/s with a burst of 100: the traffic below uses the whole burst, then is throttled.
    TestSource source = newSource(1, 100);
    TestSource bystander = newSource();
    Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    Map<String, Object> noUser = validEvent("track", "stats-no-user");
    noUser.remove("userId");
    tracking(source.writeKey()).body(noUser).post("/v1/track").then().statusCode(400); // 1 token
    tracking(source.writeKey())
        .body(validEvent("track", "stats-single"))
        .post("/v1/track")
        .then()
        .statusCode(200); // 1 token
    tracking(source.writeKey())
        .body(batchOf(97, 1, "stats-"))
        .post("/v1/batch")
        .then()
        .statusCode(200)
        .body("rejected.size()", is(1)); // 98 tokens: the bucket is empty
    tracking(source.writeKey())
        .body(batchOf(50, 0, "over-a-"))
        .post("/v1/batch")
        .then()
        .statusCode(429);
    tracking(source.writeKey())
        .body(batchOf(50, 0, "over-b-"))
        .post("/v1/batch")
        .then()
        .statusCode(429);
    // Another workspace's traffic is not counted in this one.
    tracking(bystander.writeKey())
        .body(validEvent("track", "bystander"))
        .post("/v1/track")
        .then()
        .statusCode(200);

    Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
    Totals expected = new Totals(5, 98, 2, 1, 2, 0);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertEquals(
                    expected, totals(rows(SERVICE_TOKEN, from, to, source.workspaceId()))));

    List<Map<String, Object>> rows = rows(SERVICE_TOKEN, from, to, source.workspaceId());
    for (Map<String, Object> row : rows) {
      assertEquals(source.workspaceId(), row.get("workspaceId"));
      Instant minute = Instant.parse((String) row.get("minute"));
      assertEquals(minute, minute.truncatedTo(ChronoUnit.MINUTES), "a whole UTC minute: " + minute);
      assertTrue(
          ((Number) row.get("latencyMaxMs")).doubleValue()
              >= ((Number) row.get("latencyAvgMs")).doubleValue());
      long requests = ((Number) row.get("requests")).longValue();
      long le1000 = ((Number) row.get("latencyLe1000Ms")).longValue();
      long le10 = ((Number) row.get("latencyLe10Ms")).longValue();
      assertTrue(le10 <= le1000 && le1000 <= requests, "cumulative latency buckets: " + row);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertEquals(
                    new Totals(1, 1, 0, 0, 0, 0),
                    totals(rows(SERVICE_TOKEN, from, to, bystander.workspaceId()))));
  }

  @Test
  void theAdminTokenIsAcceptedToo() {
    TestSource source = newSource();
    Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    tracking(source.writeKey())
        .body(validEvent("track", "admin-reads"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () ->
                assertEquals(
                    1, totals(rows(ADMIN_TOKEN, from, to, source.workspaceId())).eventsAccepted()));
  }

  @Test
  void withoutWorkspaceIdEveryWorkspaceIsListed() {
    TestSource a = newSource();
    TestSource b = newSource();
    Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    tracking(a.writeKey()).body(validEvent("track", "a")).post("/v1/track").then().statusCode(200);
    tracking(b.writeKey()).body(validEvent("track", "b")).post("/v1/track").then().statusCode(200);
    Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              List<Map<String, Object>> all =
                  given()
                      .header("Authorization", "Bearer " + SERVICE_TOKEN)
                      .queryParam("from", from.toString())
                      .queryParam("to", to.toString())
                      .get("/internal/v1/request-stats")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath()
                      .getList("$");
              List<Object> workspaces = all.stream().map(r -> r.get("workspaceId")).toList();
              assertTrue(
                  workspaces.contains(a.workspaceId()) && workspaces.contains(b.workspaceId()),
                  workspaces.toString());
            });
  }

  @Test
  void rowsOutsideTheRangeAreNotReturned() {
    TestSource source = newSource();
    tracking(source.writeKey())
        .body(validEvent("track", "now"))
        .post("/v1/track")
        .then()
        .statusCode(200);
    Instant now = Instant.now();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                totals(
                            rows(
                                SERVICE_TOKEN,
                                now.minus(Duration.ofMinutes(5)),
                                now.plus(Duration.ofMinutes(5)),
                                source.workspaceId()))
                        .requests()
                    == 1);
    assertTrue(
        rows(
                SERVICE_TOKEN,
                Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2020-01-02T00:00:00Z"),
                source.workspaceId())
            .isEmpty());
  }

  @Test
  void withoutTokenIs401ProblemJson() {
    given()
        .queryParam("from", "2024-01-01T00:00:00Z")
        .queryParam("to", "2024-01-02T00:00:00Z")
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Bearer")
        .body("code", is("unauthorized"))
        .body("status", is(401));
  }

  @Test
  void withAWrongTokenIs401() {
    given()
        .header("Authorization", "Bearer not-the-service-token")
        .queryParam("from", "2024-01-01T00:00:00Z")
        .queryParam("to", "2024-01-02T00:00:00Z")
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .header(
            "Authorization",
            "Basic "
                + java.util.Base64.getEncoder().encodeToString((SERVICE_TOKEN + ":").getBytes()))
        .queryParam("from", "2024-01-01T00:00:00Z")
        .queryParam("to", "2024-01-02T00:00:00Z")
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(401);
  }

  @Test
  void invalidRangesAre400() {
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParam("from", "2024-01-02T00:00:00Z")
        .queryParam("to", "2024-01-01T00:00:00Z")
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", is("invalid_range"));
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParam("from", "2024-01-01T00:00:00Z")
        .queryParam("to", "2024-03-01T00:00:00Z")
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(400)
        .body("code", is("invalid_range"));
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParam("from", "yesterday")
        .queryParam("to", "2024-03-01T00:00:00Z")
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(400)
        .body("code", is("invalid_parameter"));
    given()
        .header("Authorization", "Bearer " + SERVICE_TOKEN)
        .queryParam("to", "2024-03-01T00:00:00Z")
        .get("/internal/v1/request-stats")
        .then()
        .statusCode(400)
        .body("code", is("missing_parameter"));
  }

  @Test
  void anUnknownWorkspaceHasNoRows() {
    Instant now = Instant.now();
    assertTrue(
        rows(
                SERVICE_TOKEN,
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(1)),
                UUID.randomUUID().toString())
            .isEmpty());
  }

  @Test
  void pagesWithACursorCoverEveryRowOfEveryWorkspaceExactlyOnceInOrder() {
    // 35 workspaces x 300 minutes: 10,500 rows, more than the default page; pages of 1,000 end
    // in the middle of a minute's workspaces.
    Instant from = Instant.parse("2024-02-28T22:00:00Z");
    Instant to = from.plus(Duration.ofMinutes(300));
    List<RowKey> expected = seedRows(workspaces(35), from, 300);

    List<Map<String, Object>> walked = allPages(from, to, null, 1000);
    assertEquals(expected, walked.stream().map(RowKey::of).toList());
    assertEquals(10_500, totals(walked).eventsAccepted(), "each row with its counts");

    // Without limit a page holds 10,000 rows; the cursor of its last row gives the rest.
    List<Map<String, Object>> first = page(from, to, null, null, null);
    assertEquals(expected.subList(0, 10_000), first.stream().map(RowKey::of).toList());
    List<Map<String, Object>> rest = page(from, to, null, null, expected.get(9_999));
    assertEquals(expected.subList(10_000, 10_500), rest.stream().map(RowKey::of).toList());
    // The cursor is a position, not necessarily a row: before a minute's first workspace works.
    Instant minute = expected.get(5_000).minute();
    RowKey firstOfMinute =
        expected.stream().filter(key -> key.minute().equals(minute)).findFirst().orElseThrow();
    assertEquals(
        firstOfMinute,
        RowKey.of(page(from, to, null, 1, new RowKey(minute, new UUID(0, 0).toString())).get(0)));
  }

  @Test
  void oneWorkspacesRowsArePagedByMinute() {
    Instant from = Instant.parse("2024-03-05T00:00:00Z");
    Instant to = from.plus(Duration.ofDays(1));
    List<UUID> workspaces = workspaces(3);
    List<RowKey> all = seedRows(workspaces, from, 300);
    UUID one = workspaces.get(1);
    List<RowKey> expected =
        all.stream().filter(key -> key.workspaceId().equals(one.toString())).toList();

    List<Map<String, Object>> walked = allPages(from, to, one, 7);
    assertEquals(expected, walked.stream().map(RowKey::of).toList());
    assertEquals(300, new HashSet<>(walked.stream().map(RowKey::of).toList()).size());
  }

  @Test
  void limitsOutside1To100000AreInvalid() {
    Instant from = Instant.parse("2024-01-01T00:00:00Z");
    Instant to = from.plus(Duration.ofDays(1));
    for (String limit : new String[] {"0", "-5", "100001", "many"}) {
      assertBadRequest(
          "invalid_limit", pageRequest(from, to, null, null, null).queryParam("limit", limit));
    }
    assertTrue(page(from, to, null, 100_000, null).isEmpty());
  }

  @Test
  void aCursorNeedsBothAValidMinuteAndAValidWorkspace() {
    Instant from = Instant.parse("2024-01-01T00:00:00Z");
    Instant to = from.plus(Duration.ofDays(1));
    assertBadRequest(
        "invalid_cursor",
        pageRequest(from, to, null, null, null).queryParam("afterMinute", from.toString()));
    assertBadRequest(
        "invalid_cursor",
        pageRequest(from, to, null, null, null)
            .queryParam("afterWorkspaceId", UUID.randomUUID().toString()));
    assertBadRequest(
        "invalid_cursor",
        pageRequest(from, to, null, null, null)
            .queryParam("afterMinute", "last tuesday")
            .queryParam("afterWorkspaceId", UUID.randomUUID().toString()));
    assertBadRequest(
        "invalid_cursor",
        pageRequest(from, to, null, null, null)
            .queryParam("afterMinute", from.toString())
            .queryParam("afterWorkspaceId", "workspace-1"));
  }
}
