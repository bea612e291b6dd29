package dev.tributary.notice.rest;

import static dev.tributary.notice.IngestionApiStub.ACME;
import static dev.tributary.notice.IngestionApiStub.GLOBEX;
import static dev.tributary.notice.IngestionApiStub.INITECH;
import static dev.tributary.notice.Notices.all;
import static dev.tributary.notice.Notices.create;
import static dev.tributary.notice.Notices.createdBefore;
import static dev.tributary.notice.Notices.maintenance;
import static dev.tributary.notice.Notices.notice;
import static dev.tributary.notice.Notices.service;
import static dev.tributary.notice.Notices.termsUpdate;
import static dev.tributary.notice.Notices.workspaces;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tributary.notice.IngestionApiStub;
import dev.tributary.notice.config.TestClock;
import dev.tributary.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Creating each kind of notice: the audience snapshot, one PENDING delivery per workspace, contact
 * address and allowed channel, and the notice read back.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(IngestionApiStub.class)
class NoticeCreationTest {

  @Inject TestClock clock;

  @BeforeEach
  void monday() {
    clock.set(TestClock.MONDAY);
  }

  @Test
  void aTermsUpdateGoesToEveryWorkspaceByEmailOnlyEvenWhenSmsIsRequested() {
    Map<String, Object> body = termsUpdate(all(), "2026-04-15T00:00:00Z", true, false);
    body.put("channels", List.of("EMAIL", "SMS"));

    String id =
        create(body)
            .statusCode(201)
            .body("id", notNullValue())
            .body("kind", is("TERMS_UPDATE"))
            .body("createdAt", is("2026-03-02T18:00:00Z"))
            .body("recipients", is(3))
            // Acme's two contacts share one email address; Initech has no contact.
            .body("deliveries", is(2))
            .body("$", org.hamcrest.Matchers.not(hasKey("leadTime")))
            .extract()
            .path("id");

    service()
        .get("/v1/notices/{id}/deliveries", id)
        .then()
        .statusCode(200)
        .body("size()", is(2))
        .body("channel", everyItem(is("EMAIL")))
        .body("status", everyItem(is("PENDING")))
        .body("attempts", everyItem(is(0)))
        .body("address", containsInAnyOrder("legal@acme.example", "counsel@globex.example"));

    service()
        .get("/v1/notices/{id}", id)
        .then()
        .statusCode(200)
        .body("channels", is(List.of("EMAIL")))
        .body("document", is("Terms of Service"))
        .body("effectiveAt", is("2026-04-15T00:00:00Z"))
        .body("material", is(true))
        .body("legalChange", is(false))
        .body("audience.type", is("ALL"))
        .body("status", is("PENDING"))
        .body("deliveries.pending", is(2))
        .body("recipients.size()", is(3))
        .body("recipients.workspaceName", is(List.of("Acme", "Globex", "Initech")))
        .body("recipients[0].timeZone", is("Europe/Paris"))
        .body("recipients[0]", hasKey("firstDeliveredAt"))
        .body("recipients[0].firstDeliveredAt", nullValue())
        .body("recipients[2].deliveries.pending", is(0));
  }

  @Test
  void theLocationHeaderNamesTheNotice() {
    var response =
        create(termsUpdate(workspaces(GLOBEX), "2026-03-03T00:00:00Z", false, false))
            .statusCode(201)
            .extract();
    assertEquals(
        "/v1/notices/" + response.path("id"),
        java.net.URI.create(response.header("Location")).getPath());
  }

  @Test
  void aMaintenanceNoticeGoesByEmailAndTextToEveryContactAddress() {
    String id =
        create(maintenance(all(), "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z"))
            .statusCode(201)
            .body("kind", is("MAINTENANCE"))
            .body("recipients", is(3))
            // Acme: one email (shared by two contacts) and two phones; Globex: one email.
            .body("deliveries", is(4))
            .body("leadTime.requiredBusinessDays", is(3))
            .body("leadTime.met", is(true))
            .extract()
            .path("id");

    JsonPath deliveries =
        service()
            .get("/v1/notices/{id}/deliveries", id)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> acmeSms =
        deliveries.getList(
            "findAll { it.stage == 'NOTICE' && it.workspaceId == '"
                + ACME
                + "' && it.channel == 'SMS' }.address");
    assertEquals(List.of("+14155550100", "+14155550101"), acmeSms.stream().sorted().toList());
    List<String> contactNames =
        deliveries.getList("findAll { it.stage == 'NOTICE' && it.channel == 'SMS' }.contactName");
    assertEquals(List.of("Legal", "Ops"), contactNames.stream().sorted().toList());
    // The window starts more than 24 h ahead: each message also has a reminder.
    assertEquals(4, deliveries.getList("findAll { it.stage == 'REMINDER' }").size());
  }

  @Test
  void aMaintenanceNoticeCanBeLimitedToTextMessages() {
    Map<String, Object> body = maintenance(all(), "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z");
    body.put("channels", List.of("SMS"));
    String id = create(body).statusCode(201).body("deliveries", is(2)).extract().path("id");
    service()
        .get("/v1/notices/{id}/deliveries", id)
        .then()
        .body("channel", everyItem(is("SMS")))
        .body("workspaceId", everyItem(is(ACME)));
  }

  @Test
  void theAudienceCanBeTheWorkspacesCreatedBeforeADate() {
    String id =
        create(
                termsUpdate(
                    createdBefore("2026-01-01T00:00:00Z"), "2026-04-15T00:00:00Z", true, false))
            .statusCode(201)
            .body("recipients", is(2))
            .body("deliveries", is(1))
            .extract()
            .path("id");
    service()
        .get("/v1/notices/{id}", id)
        .then()
        .body("audience.type", is("CREATED_BEFORE"))
        .body("audience.createdBefore", is("2026-01-01T00:00:00Z"))
        .body("recipients.workspaceId", containsInAnyOrder(ACME, INITECH));
  }

  @Test
  void theAudienceCanBeAListOfWorkspaces() {
    String id =
        create(termsUpdate(workspaces(GLOBEX, INITECH), "2026-04-15T00:00:00Z", true, false))
            .statusCode(201)
            .body("recipients", is(2))
            .body("deliveries", is(1))
            .extract()
            .path("id");
    service()
        .get("/v1/notices/{id}", id)
        .then()
        .body("audience.workspaceIds", containsInAnyOrder(GLOBEX, INITECH))
        .body("recipients.workspaceId", containsInAnyOrder(GLOBEX, INITECH));
  }

  @Test
  void anApiChangeSixtyDaysAhead() {
    create(
            notice(
                "API_CHANGE",
                all(),
                "summary",
                "The v0 batch endpoint is removed.",
                "effectiveAt",
                "2026-06-01T00:00:00Z"))
        .statusCode(201)
        .body("kind", is("API_CHANGE"))
        .body("deliveries", is(2));
  }

  @Test
  void aRescheduleAndACancellationReferToTheMaintenanceNotice() {
    String original =
        create(maintenance(workspaces(GLOBEX), "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"))
            .statusCode(201)
            .extract()
            .path("id");
    Map<String, Object> rescheduled =
        maintenance(workspaces(GLOBEX), "2026-03-12T10:00:00Z", "2026-03-12T11:00:00Z");
    rescheduled.put("kind", "MAINTENANCE_RESCHEDULED");
    rescheduled.put("relatedNoticeId", original);
    String id =
        create(rescheduled)
            .statusCode(201)
            .body("kind", is("MAINTENANCE_RESCHEDULED"))
            .body("leadTime.met", is(true))
            .extract()
            .path("id");
    service().get("/v1/notices/{id}", id).then().body("relatedNoticeId", is(original));

    Map<String, Object> cancelled =
        maintenance(workspaces(GLOBEX), "2026-03-12T10:00:00Z", "2026-03-12T11:00:00Z");
    cancelled.put("kind", "MAINTENANCE_CANCELLED");
    cancelled.put("relatedNoticeId", id);
    create(cancelled).statusCode(201).body("kind", is("MAINTENANCE_CANCELLED"));
  }

  @Test
  void slaNoticesCarryTheMonthAndFreeDetails() {
    String id =
        create(
                notice(
                    "SLA_MISS",
                    workspaces(ACME),
                    "month",
                    "2026-02",
                    "details",
                    Map.of("availability", 99.95, "target", 99.99, "creditPercent", 10)))
            .statusCode(201)
            .body("kind", is("SLA_MISS"))
            .body("deliveries", is(1))
            .extract()
            .path("id");
    service()
        .get("/v1/notices/{id}", id)
        .then()
        .body("month", is("2026-02"))
        .body("details.target", is(99.99f))
        .body("details.creditPercent", is(10))
        .body("channels", is(List.of("EMAIL")));

    create(
            notice(
                "TERMINATION_RIGHT",
                workspaces(ACME),
                "month",
                "2026-02",
                "details",
                Map.of("exerciseDeadline", "2026-04-30")))
        .statusCode(201)
        .body("kind", is("TERMINATION_RIGHT"));
  }

  @Test
  void aGeneralNoticeHasASubjectAndBody() {
    create(
            notice(
                "GENERAL",
                workspaces(ACME),
                "subject",
                "New status page",
                "body",
                "Our status page moved."))
        .statusCode(201)
        .body("kind", is("GENERAL"))
        // Email and SMS by default: one email address and two phones.
        .body("deliveries", is(3));
  }

  @Test
  void aWorkspaceListsTheNoticesItWasSent() {
    String id =
        create(
                notice(
                    "GENERAL",
                    workspaces(INITECH),
                    "subject",
                    "Hello",
                    "body",
                    "A notice for Initech only."))
            .statusCode(201)
            .extract()
            .path("id");
    service()
        .get("/v1/workspaces/{id}/notices", INITECH)
        .then()
        .statusCode(200)
        .body("id", hasItem(id))
        .body("find { it.id == '" + id + "' }.kind", is("GENERAL"))
        .body("find { it.id == '" + id + "' }.deliveries.pending", is(0));
    service()
        .get("/v1/workspaces/{id}/notices", GLOBEX)
        .then()
        .statusCode(200)
        .body("id", org.hamcrest.Matchers.not(hasItem(id)));
  }

  @Test
  void anUnknownNoticeIs404() {
    service()
        .get("/v1/notices/{id}", java.util.UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("code", is("not_found"));
    service()
        .get("/v1/notices/{id}/deliveries", java.util.UUID.randomUUID())
        .then()
        .statusCode(404);
  }
}
