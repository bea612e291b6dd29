package dev.tributary.sla;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tributary.sla.MaintenanceWindowTest.api;
import static dev.tributary.sla.MaintenanceWindowTest.failProbes;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tributary.sla.PlatformStub.InjectPlatform;
import dev.tributary.sla.client.WorkspaceDirectory;
import dev.tributary.sla.config.TestClock;
import dev.tributary.sla.service.MonthCloser;
import dev.tributary.sla.service.NoticeSync;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Special Termination Right (SLA §4) end to end: two consecutive missed months closed, the
 * SLA_MISS delivery read back from notice-service, the TERMINATION_RIGHT notice, the exercise with
 * its pro-rata refund, and the waiver after 30 days.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(PlatformStub.class)
class TerminationRightTest {

  static final String JULY_MISS = "dddddddd-0000-0000-0000-000000000007";
  static final String AUGUST_MISS = "dddddddd-0000-0000-0000-000000000008";
  static final String RIGHT_NOTICE = "dddddddd-0000-0000-0000-0000000000ff";

  /** When the August SLA_MISS notice reached UTC_WS; the deadline is 30 days later. */
  static final String AWARE_AT = "2025-09-02T10:00:00Z";

  static final String DEADLINE = "2025-10-02T10:00:00Z";

  @InjectPlatform WireMockServer platform;
  @Inject TestClock clock;
  @Inject WorkspaceDirectory directory;
  @Inject Tables tables;
  @Inject MonthCloser closer;
  @Inject NoticeSync noticeSync;

  @BeforeEach
  void reset() {
    PlatformStub.reset(platform);
    directory.invalidate();
    tables.truncateAll();
  }

  private static String right(String workspace) {
    return "/v1/workspaces/" + workspace + "/termination-right";
  }

  private static RequestSpecification decimalApi() {
    return api()
        .config(
            RestAssuredConfig.config()
                .jsonConfig(
                    JsonConfig.jsonConfig()
                        .numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL)));
  }

  private void stubNotice(String month, String workspace, String id) {
    platform.stubFor(
        post(urlEqualTo("/v1/notices"))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.kind", equalTo("SLA_MISS")))
            .withRequestBody(matchingJsonPath("$.month", equalTo(month)))
            .withRequestBody(matchingJsonPath("$.audience.workspaceIds[0]", equalTo(workspace)))
            .willReturn(
                PlatformStub.json(201, "{\"id\": \"%s\", \"kind\": \"SLA_MISS\"}".formatted(id))));
  }

  private void stubDelivery(String id, String workspace, String deliveredAt) {
    platform.stubFor(
        get(urlEqualTo("/v1/notices/" + id))
            .willReturn(
                PlatformStub.json(
                    200,
                    """
                    {"id": "%s", "kind": "SLA_MISS", "createdAt": "2025-01-01T00:00:00Z",
                     "recipients": [{"workspaceId": "%s", "firstDeliveredAt": %s}]}
                    """
                        .formatted(
                            id,
                            workspace,
                            deliveredAt == null ? "null" : "\"" + deliveredAt + "\""))));
  }

  /**
   * Five failed minutes in July and five in August 2025 (UTC): both months miss for UTC_WS; NEW_WS
   * declared August's customer-caused, so it misses July only. July closes on 1 August, August on 1
   * September; UTC_WS's SLA_MISS notices reach it on 1 August 09:00Z and on {@link #AWARE_AT}.
   */
  private void twoMissedMonths() {
    twoMissedMonths(true);
  }

  private void twoMissedMonths(boolean otherNoticesFound) {
    stubNotice("2025-07", PlatformStub.UTC_WS, JULY_MISS);
    stubNotice("2025-08", PlatformStub.UTC_WS, AUGUST_MISS);
    platform.stubFor(
        post(urlEqualTo("/v1/notices"))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT")))
            .willReturn(
                PlatformStub.json(
                    201,
                    "{\"id\": \"%s\", \"kind\": \"TERMINATION_RIGHT\"}".formatted(RIGHT_NOTICE))));
    stubDelivery(JULY_MISS, PlatformStub.UTC_WS, "2025-08-01T09:00:00Z");
    stubDelivery(AUGUST_MISS, PlatformStub.UTC_WS, AWARE_AT);
    // Every other SLA_MISS notice (NEW_WS's July) answers NOTICE_ID, delivered on 1 August.
    if (otherNoticesFound) {
      stubDelivery(PlatformStub.NOTICE_ID, PlatformStub.NEW_WS, "2025-08-01T09:30:00Z");
    }

    clock.set(Instant.parse("2025-07-31T12:00:00Z"));
    failProbes(
        "2025-07-05T10:00:00Z",
        "2025-07-06T10:00:00Z",
        "2025-07-07T10:00:00Z",
        "2025-07-08T10:00:00Z",
        "2025-07-09T10:00:00Z");
    clock.set(Instant.parse("2025-08-01T00:20:00Z"));
    closer.closeDueMonths().await().atMost(Duration.ofMinutes(2));
    clock.set(Instant.parse("2025-08-01T10:00:00Z"));
    noticeSync.syncOnce().await().atMost(Duration.ofSeconds(30));

    // One missed month: no right yet.
    api()
        .get(right(PlatformStub.UTC_WS))
        .then()
        .statusCode(200)
        .body("status", is("NONE"))
        .body("triggeringMonths", empty());

    clock.set(Instant.parse("2025-08-31T12:00:00Z"));
    failProbes(
        "2025-08-05T10:00:00Z",
        "2025-08-06T10:00:00Z",
        "2025-08-07T10:00:00Z",
        "2025-08-08T10:00:00Z",
        "2025-08-09T10:00:00Z");
    api()
        .body(
            """
            {"start": "2025-08-05T00:00:00Z", "end": "2025-08-10T00:00:00Z",
             "category": "CUSTOMER_CAUSED", "workspaceId": "%s",
             "reason": "the customer blocked the probe source"}
            """
                .formatted(PlatformStub.NEW_WS))
        .post("/v1/exclusions")
        .then()
        .statusCode(201);
    clock.set(Instant.parse("2025-09-01T00:20:00Z"));
    closer.closeDueMonths().await().atMost(Duration.ofMinutes(2));

    // The August notice was not delivered yet: the right exists but its clock has not started.
    api()
        .get(right(PlatformStub.UTC_WS))
        .then()
        .body("status", is("AVAILABLE"))
        .body("awareAt", nullValue())
        .body("deadline", nullValue());
    platform.verify(
        0,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT"))));

    clock.set(Instant.parse("2025-09-02T12:00:00Z"));
    noticeSync.syncOnce().await().atMost(Duration.ofSeconds(30));
  }

  @Test
  void twoConsecutiveMissedMonthsGiveTheRightAndItsNotice() {
    twoMissedMonths();

    api()
        .get("/v1/workspaces/" + PlatformStub.UTC_WS + "/reports/2025-08")
        .then()
        .body("slaMissNoticeId", is(AUGUST_MISS))
        .body("slaMissNoticeSentAt", is(AWARE_AT));
    api()
        .get(right(PlatformStub.UTC_WS))
        .then()
        .statusCode(200)
        .body("status", is("AVAILABLE"))
        .body("triggeringMonths", contains("2025-07", "2025-08"))
        .body("awareAt", is(AWARE_AT))
        .body("deadline", is(DEADLINE))
        .body("triggers[0].rule", is("TWO_CONSECUTIVE_MONTHS"));

    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withHeader(
                "Idempotency-Key", equalTo("termination-right-" + PlatformStub.UTC_WS + "-2025-08"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT")))
            .withRequestBody(
                matchingJsonPath("$.audience.workspaceIds[0]", equalTo(PlatformStub.UTC_WS)))
            .withRequestBody(matchingJsonPath("$.details.deadline", equalTo(DEADLINE)))
            .withRequestBody(matchingJsonPath("$.details.awareAt", equalTo(AWARE_AT))));

    // The notice goes out once.
    clock.set(Instant.parse("2025-09-03T12:00:00Z"));
    noticeSync.syncOnce().await().atMost(Duration.ofSeconds(30));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT"))));

    // NEW_WS missed July only.
    api()
        .get(right(PlatformStub.NEW_WS))
        .then()
        .statusCode(200)
        .body("status", is("NONE"))
        .body("triggeringMonths", empty())
        .body("awareAt", nullValue());
  }

  /**
   * notice-service cannot find NEW_WS's (and PACIFIC_WS's) SLA_MISS notice (GET answers 404): the
   * other notices are still read back and the TERMINATION_RIGHT notice still goes out.
   */
  @Test
  void aNoticeThatCannotBeReadDoesNotHoldUpTheOthers() {
    twoMissedMonths(false);
    api()
        .get(right(PlatformStub.UTC_WS))
        .then()
        .statusCode(200)
        .body("status", is("AVAILABLE"))
        .body("awareAt", is(AWARE_AT))
        .body("deadline", is(DEADLINE));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT"))));
    api()
        .get("/v1/workspaces/" + PlatformStub.NEW_WS + "/reports/2025-07")
        .then()
        .body("slaMissNoticeId", is(PlatformStub.NOTICE_ID))
        .body("slaMissNoticeSentAt", nullValue());
  }

  /**
   * UTC_WS and NEW_WS both missed July and August; notice-service refuses UTC_WS's
   * TERMINATION_RIGHT notice (503) but NEW_WS's still goes out, and UTC_WS's goes out at a later
   * round.
   */
  @Test
  void aTerminationNoticeThatFailsDoesNotHoldUpTheOthers() {
    platform.stubFor(
        get(urlEqualTo("/v1/notices/" + PlatformStub.NOTICE_ID))
            .willReturn(
                PlatformStub.json(
                    200,
                    """
                    {"id": "%s", "kind": "SLA_MISS", "createdAt": "2025-09-01T00:20:00Z",
                     "recipients": [{"workspaceId": "%s", "firstDeliveredAt": "%s"},
                                    {"workspaceId": "%s", "firstDeliveredAt": "%s"}]}
                    """
                        .formatted(
                            PlatformStub.NOTICE_ID,
                            PlatformStub.UTC_WS,
                            AWARE_AT,
                            PlatformStub.NEW_WS,
                            AWARE_AT))));
    platform.stubFor(
        post(urlEqualTo("/v1/notices"))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT")))
            .withRequestBody(
                matchingJsonPath("$.audience.workspaceIds[0]", equalTo(PlatformStub.UTC_WS)))
            .willReturn(PlatformStub.json(503, "{}")));
    clock.set(Instant.parse("2025-08-31T12:00:00Z"));
    failProbes(
        "2025-07-05T10:00:00Z",
        "2025-07-06T10:00:00Z",
        "2025-07-07T10:00:00Z",
        "2025-07-08T10:00:00Z",
        "2025-07-09T10:00:00Z",
        "2025-08-05T10:00:00Z",
        "2025-08-06T10:00:00Z",
        "2025-08-07T10:00:00Z",
        "2025-08-08T10:00:00Z",
        "2025-08-09T10:00:00Z");
    clock.set(Instant.parse("2025-09-01T00:20:00Z"));
    closer.closeDueMonths().await().atMost(Duration.ofMinutes(2));
    clock.set(Instant.parse("2025-09-02T12:00:00Z"));
    noticeSync.syncOnce().await().atMost(Duration.ofSeconds(30));

    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT")))
            .withRequestBody(
                matchingJsonPath("$.audience.workspaceIds[0]", equalTo(PlatformStub.NEW_WS))));
    api().get(right(PlatformStub.UTC_WS)).then().body("status", is("AVAILABLE"));

    PlatformStub.reset(platform);
    noticeSync.syncOnce().await().atMost(Duration.ofSeconds(30));
    platform.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(matchingJsonPath("$.kind", equalTo("TERMINATION_RIGHT")))
            .withRequestBody(
                matchingJsonPath("$.audience.workspaceIds[0]", equalTo(PlatformStub.UTC_WS)))
            .withRequestBody(matchingJsonPath("$.details.deadline", equalTo(DEADLINE))));
    platform.verify(
        0,
        postRequestedFor(urlEqualTo("/v1/notices"))
            .withRequestBody(
                matchingJsonPath("$.audience.workspaceIds[0]", equalTo(PlatformStub.NEW_WS))));
  }

  /**
   * Term 1 January – 31 December 2025 (365 days) prepaid 12,000.00 USD; terminated on 10 September
   * 2025, 113 days remain (21 in September, 31 + 30 + 31): 12,000 × 113 / 365 = 3,715.0685 →
   * 3,715.07.
   */
  @Test
  void exercisingRecordsTheNoticeAndTheProRataRefund() {
    twoMissedMonths();
    clock.set(Instant.parse("2025-09-10T12:00:00Z"));
    api()
        .body(
            """
            {"termStart": "2025-01-01", "termEnd": "2025-12-31", "prepaidFees": 12000.00,
             "currency": "USD"}
            """)
        .put("/v1/workspaces/" + PlatformStub.UTC_WS + "/order-form")
        .then()
        .statusCode(200);
    decimalApi()
        .get(right(PlatformStub.UTC_WS))
        .then()
        .body("refundIfTerminatedToday", comparesEqualTo(new BigDecimal("3715.07")));

    api()
        .body("{}")
        .post(right(PlatformStub.UTC_WS) + "/exercise")
        .then()
        .statusCode(422)
        .body("code", is("reference_required"));
    // A termination cannot reach back before the notice (that would inflate the refund).
    api()
        .body("{\"reference\": \"letter\", \"terminationDate\": \"2025-09-01\"}")
        .post(right(PlatformStub.UTC_WS) + "/exercise")
        .then()
        .statusCode(422)
        .body("code", is("termination_before_notice"));

    decimalApi()
        .body("{\"reference\": \"letter of 10 September 2025\"}")
        .post(right(PlatformStub.UTC_WS) + "/exercise")
        .then()
        .statusCode(200)
        .body("status", is("EXERCISED"))
        .body("exercisedAt", is("2025-09-10T12:00:00Z"))
        .body("triggeringMonths", contains("2025-07", "2025-08"))
        .body("exercise.reference", is("letter of 10 September 2025"))
        .body("exercise.terminationDate", is("2025-09-10"))
        .body("exercise.refund", comparesEqualTo(new BigDecimal("3715.07")))
        .body("exercise.currency", is("USD"))
        .body("exercise.triggeringMonths", contains("2025-07", "2025-08"));

    api()
        .body("{\"reference\": \"a second letter\"}")
        .post(right(PlatformStub.UTC_WS) + "/exercise")
        .then()
        .statusCode(409);

    // Still exercised after the deadline.
    clock.set(Instant.parse("2025-12-01T00:00:00Z"));
    api()
        .get(right(PlatformStub.UTC_WS))
        .then()
        .body("status", is("EXERCISED"))
        .body("exercise.reference", is("letter of 10 September 2025"));
  }

  @Test
  void afterThirtyDaysTheRightIsWaived() {
    twoMissedMonths();
    clock.set(Instant.parse(DEADLINE));
    api().get(right(PlatformStub.UTC_WS)).then().body("status", is("AVAILABLE"));

    clock.set(Instant.parse(DEADLINE).plusSeconds(1));
    api()
        .get(right(PlatformStub.UTC_WS))
        .then()
        .statusCode(200)
        .body("status", is("WAIVED"))
        .body("deadline", is(DEADLINE))
        .body("refundIfTerminatedToday", nullValue());
    api()
        .body("{\"reference\": \"too late\"}")
        .post(right(PlatformStub.UTC_WS) + "/exercise")
        .then()
        .statusCode(409)
        .body("code", is("termination_right_not_available"));
    api().get(right(PlatformStub.UTC_WS)).then().body("status", is("WAIVED"));
  }

  @Test
  void aWorkspaceWithoutMissesHasNoRight() {
    clock.set(Instant.parse("2025-09-01T00:20:00Z"));
    closer.closeDueMonths().await().atMost(Duration.ofMinutes(2));
    api().get(right(PlatformStub.UTC_WS)).then().statusCode(200).body("status", is("NONE"));
    api()
        .body("{\"reference\": \"letter\"}")
        .post(right(PlatformStub.UTC_WS) + "/exercise")
        .then()
        .statusCode(409)
        .body("code", is("termination_right_not_available"));
    api().get(right("aaaaaaaa-0000-0000-0000-00000000ffff")).then().statusCode(404);
  }
}
