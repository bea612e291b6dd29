package dev.tributary.notice.rest;

import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.Notices.PROBLEM_JSON;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.maintenance;
import static dev.tributary.notice.Notices.notice;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.termsUpdate;
import static dev.tributary.notice.Notices.workspaces;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agreement's notice periods at their boundaries (30 days for a material terms update, 60 for a
 * breaking API change) and the 3-business-day lead time of maintenance, with the clock fixed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class NoticeRulesTest {

  /** Monday 2 March 2026, 10:00 Pacific. */
  static final Instant NOW = TestClock.MONDAY;

  @Inject TestClock clock;

  @BeforeEach
  void monday() {
    clock.set(NOW);
  }

  @Test
  void aMaterialTermsUpdateExactlyThirtyDaysAheadIsAccepted() {
    create(termsUpdate(workspaces(GLOBEX), NOW.plus(Duration.ofDays(30)).toString(), true, false))
        .statusCode(201);
  }

  @Test
  void aMaterialTermsUpdateOneSecondShortOfThirtyDaysIsRefusedNamingTheEarliestDate() {
    create(
            termsUpdate(
                workspaces(GLOBEX),
                NOW.plus(Duration.ofDays(30)).minusSeconds(1).toString(),
                true,
                false))
        .statusCode(422)
        .contentType(PROBLEM_JSON)
        .body("code", is("notice_period_too_short"))
        .body("detail", containsString("2026-04-01T18:00:00Z"))
        .body("errors", hasItem("earliestEffectiveAt: 2026-04-01T18:00:00Z"));
  }

  @Test
  void aLegalChangeNeedsNoNoticePeriod() {
    create(termsUpdate(workspaces(GLOBEX), NOW.plus(Duration.ofDays(1)).toString(), true, true))
        .statusCode(201);
  }

  @Test
  void aNonMaterialUpdateNeedsNoNoticePeriod() {
    create(termsUpdate(workspaces(GLOBEX), NOW.plus(Duration.ofHours(1)).toString(), false, false))
        .statusCode(201);
  }

  @Test
  void anApiChangeExactlySixtyDaysAheadIsAccepted() {
    create(apiChange(NOW.plus(Duration.ofDays(60)))).statusCode(201);
  }

  @Test
  void anApiChangeOneSecondShortOfSixtyDaysIsRefused() {
    create(apiChange(NOW.plus(Duration.ofDays(60)).minusSeconds(1)))
        .statusCode(422)
        .body("code", is("notice_period_too_short"))
        .body("detail", containsString("2026-05-01T18:00:00Z"));
  }

  @Test
  void theNoticePeriodCountsFromTheClock() {
    clock.set(NOW.plus(Duration.ofDays(1)));
    create(termsUpdate(workspaces(GLOBEX), NOW.plus(Duration.ofDays(30)).toString(), true, false))
        .statusCode(422)
        .body("detail", containsString("2026-04-02T18:00:00Z"));
  }

  @Test
  void maintenanceWithThreeBusinessDaysBetweenNoticeAndStartMeetsTheLeadTime() {
    // Notice on Monday; Tuesday, Wednesday and Thursday lie between it and a Friday start.
    String id =
        create(maintenance(workspaces(GLOBEX), "2026-03-06T10:00:00Z", "2026-03-06T12:00:00Z"))
            .statusCode(201)
            .body("leadTime.requiredBusinessDays", is(3))
            .body("leadTime.met", is(true))
            .extract()
            .path("id");
    service()
        .get("/v1/notices/{id}", id)
        .then()
        .body("leadTime.met", is(true))
        .body("recipients[0].leadTimeMet", is(true));
  }

  @Test
  void maintenanceWithTooLittleLeadTimeIsStillCreatedButMarked() {
    // A Thursday start leaves only Tuesday and Wednesday.
    String id =
        create(maintenance(workspaces(GLOBEX), "2026-03-05T10:00:00Z", "2026-03-05T12:00:00Z"))
            .statusCode(201)
            .body("deliveries", is(1))
            .body("leadTime.met", is(false))
            .extract()
            .path("id");
    service()
        .get("/v1/notices/{id}", id)
        .then()
        .body("leadTime.met", is(false))
        .body("recipients[0].leadTimeMet", is(false));
    service()
        .get("/v1/workspaces/{id}/notices", GLOBEX)
        .then()
        .body("find { it.id == '" + id + "' }.leadTimeMet", is(false));
  }

  @Test
  void aWeekendDoesNotCountTowardsTheLeadTime() {
    // Notice on Thursday 5 March: Friday and Monday lie before a Tuesday start; the weekend
    // does not count.
    clock.set(Instant.parse("2026-03-05T18:00:00Z"));
    create(maintenance(workspaces(GLOBEX), "2026-03-10T17:00:00Z", "2026-03-10T18:00:00Z"))
        .statusCode(201)
        .body("leadTime.met", is(false));
    create(maintenance(workspaces(GLOBEX), "2026-03-11T17:00:00Z", "2026-03-11T18:00:00Z"))
        .statusCode(201)
        .body("leadTime.met", is(true));
  }

  @Test
  void aRescheduleOfAnUnknownNoticeIsRefused() {
    var body = maintenance(workspaces(GLOBEX), "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z");
    body.put("kind", "MAINTENANCE_RESCHEDULED");
    body.put("relatedNoticeId", java.util.UUID.randomUUID().toString());
    create(body).statusCode(422).body("code", is("unknown_related_notice"));
  }

  private static java.util.Map<String, Object> apiChange(Instant effectiveAt) {
    return notice(
        "API_CHANGE",
        workspaces(GLOBEX),
        "summary",
        "The v0 batch endpoint is removed.",
        "url",
        "https://tributary.example/changes/v0-batch",
        "effectiveAt",
        effectiveAt.toString());
  }
}
